import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type Repository } from 'typeorm';
import { ItemEntity, pgPoolOf } from '#database';
import { ITEMS_PAGE_SQL } from './items.sql.js';

/** An item as the API shows it, dates already formatted by PostgreSQL. */
export interface ItemRow {
  symbol: string;
  name: string;
  description: string;
  sector: string;
  industry: string | null;
  active: boolean;
  firstBarDate: string | null;
  lastBarDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ItemFilter {
  sector?: string;
  q?: string;
  active: boolean;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Named queries on `items`. */
@Injectable()
export class ItemsRepository {
  private readonly items: Repository<ItemEntity>;
  private readonly pool: Pool;

  constructor(dataSource: DataSource) {
    this.items = dataSource.getRepository(ItemEntity);
    this.pool = pgPoolOf(dataSource);
  }

  /** Keyset page ordered by symbol: `limit + 1` rows are read to know whether another page exists. */
  async page(
    filter: ItemFilter,
    limit: number,
    after: string | null,
  ): Promise<{ rows: ItemRow[]; hasMore: boolean }> {
    const q = filter.q ? `%${escapeLike(filter.q)}%` : null;
    const { rows } = await this.pool.query<ItemRow>({
      name: 'items_page',
      text: ITEMS_PAGE_SQL,
      values: [filter.active, filter.sector ?? null, q, after, limit + 1],
    });
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  findBySymbol(symbol: string): Promise<ItemEntity | null> {
    return this.items.findOneBy({ symbol });
  }

  /** Inserts unless the symbol exists; returns null on a duplicate (no exception round trip). */
  async insertIfAbsent(item: Partial<ItemEntity> & { symbol: string }): Promise<ItemEntity | null> {
    const result = await this.items
      .createQueryBuilder()
      .insert()
      .values(item)
      .orIgnore()
      .returning('*')
      .execute();
    return result.raw.length > 0 ? this.findBySymbol(item.symbol) : null;
  }

  async update(symbol: string, changes: Partial<ItemEntity>): Promise<ItemEntity | null> {
    const result = await this.items.update({ symbol }, changes);
    return result.affected ? this.findBySymbol(symbol) : null;
  }
}
