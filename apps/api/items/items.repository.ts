import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { ItemEntity } from '#database';

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

  constructor(dataSource: DataSource) {
    this.items = dataSource.getRepository(ItemEntity);
  }

  /** Keyset page ordered by symbol: `limit + 1` rows are read to know whether another page exists. */
  async page(filter: ItemFilter, limit: number, after: string | null): Promise<{ rows: ItemEntity[]; hasMore: boolean }> {
    const query = this.items.createQueryBuilder('i').where('i.active = :active', { active: filter.active });
    if (filter.sector) query.andWhere('i.sector = :sector', { sector: filter.sector });
    if (filter.q) query.andWhere('(i.symbol ILIKE :q OR i.name ILIKE :q)', { q: `%${escapeLike(filter.q)}%` });
    if (after) query.andWhere('i.symbol > :after', { after });
    const rows = await query.orderBy('i.symbol', 'ASC').limit(limit + 1).getMany();
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
