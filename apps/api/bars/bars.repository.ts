import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '#database';
import { DAILY_BARS_SQL, PERIOD_BARS_SQL } from './bars.sql.js';

export type BarInterval = 'day' | 'week' | 'month';

export interface BarsQuery {
  symbol: string;
  interval: BarInterval;
  from: string | null;
  to: string | null;
  limit: number;
}

/** Named queries on price_bars for charts. */
@Injectable()
export class BarsRepository {
  private readonly pool: Pool;

  constructor(dataSource: DataSource) {
    this.pool = pgPoolOf(dataSource);
  }

  /** Whether the symbol is an item (a revalidation's check: it reads no bars). */
  async isItem(symbol: string): Promise<boolean> {
    const { rowCount } = await this.pool.query({
      name: 'bars_item_exists',
      text: 'SELECT 1 FROM items WHERE symbol = $1',
      values: [symbol],
    });
    return (rowCount ?? 0) > 0;
  }

  /**
   * The columns `{"t":[…],"o":[…],…}` as JSON text, built by PostgreSQL; null when the symbol is not
   * an item. Named prepared statements: planned once per connection.
   */
  async columns(q: BarsQuery): Promise<string | null> {
    const values: unknown[] = [q.symbol, q.from, q.to, q.limit];
    const { rows } = await this.pool.query<{ body: string }>(
      q.interval === 'day'
        ? { name: 'bars_daily', text: DAILY_BARS_SQL, values }
        : { name: 'bars_period', text: PERIOD_BARS_SQL, values: [...values, q.interval] },
    );
    return rows.length > 0 ? rows[0]!.body : null;
  }
}
