import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type Repository } from 'typeorm';
import { ItemEntity } from '#database';

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

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

// The hottest query of the api, so it skips entity hydration (and Date parsing, which costs more
// than the query) and runs as a named prepared statement straight on the pool: PostgreSQL plans
// it once per connection. Null parameters switch a filter off.
const PAGE_SQL = `
  SELECT symbol, name, description, sector, industry, active,
         to_char(first_bar_date, 'YYYY-MM-DD') AS "firstBarDate",
         to_char(last_bar_date, 'YYYY-MM-DD') AS "lastBarDate",
         to_char(created_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "createdAt",
         to_char(updated_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "updatedAt"
  FROM items
  WHERE active = $1
    AND ($2::varchar IS NULL OR sector = $2)
    AND ($3::text IS NULL OR symbol ILIKE $3 OR name ILIKE $3)
    AND ($4::varchar IS NULL OR symbol > $4)
  ORDER BY symbol
  LIMIT $5`;

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
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  /** Keyset page ordered by symbol: `limit + 1` rows are read to know whether another page exists. */
  async page(filter: ItemFilter, limit: number, after: string | null): Promise<{ rows: ItemRow[]; hasMore: boolean }> {
    const q = filter.q ? `%${escapeLike(filter.q)}%` : null;
    const { rows } = await this.pool.query<ItemRow>({
      name: 'items_page',
      text: PAGE_SQL,
      values: [filter.active, filter.sector ?? null, q, after, limit + 1],
    });
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  findBySymbol(symbol: string): Promise<ItemEntity | null> {
    return this.items.findOneBy({ symbol });
  }

  /** Inserts unless the symbol exists; returns null on a duplicate (no exception round trip). */
  async insertIfAbsent(item: Partial<ItemEntity> & { symbol: string }): Promise<ItemEntity | null> {
    const result = await this.items.createQueryBuilder().insert().values(item).orIgnore().returning('*').execute();
    return result.raw.length > 0 ? this.findBySymbol(item.symbol) : null;
  }

  async update(symbol: string, changes: Partial<ItemEntity>): Promise<ItemEntity | null> {
    const result = await this.items.update({ symbol }, changes);
    return result.affected ? this.findBySymbol(symbol) : null;
  }
}
