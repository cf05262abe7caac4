import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BarStoreBuilder, type BarStore } from '#scan-engine';

/** Named queries for one symbol's analysis. */
@Injectable()
export class AnalysisRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The symbol's bars up to `asOf` (inclusive, `YYYY-MM-DD`; null = all) as a one-symbol store. */
  async barsUpTo(symbol: string, asOf: string | null): Promise<BarStore> {
    const rows = (await this.dataSource.query(
      `SELECT to_char(date, 'YYYYMMDD')::int AS d, open, high, low, close, volume::float8 AS volume
       FROM price_bars WHERE symbol = $1 AND ($2::date IS NULL OR date <= $2::date) ORDER BY date`,
      [symbol, asOf],
    )) as { d: number; open: number; high: number; low: number; close: number; volume: number }[];
    const builder = new BarStoreBuilder(rows.length);
    for (const r of rows) builder.append(symbol, r.d, r.open, r.high, r.low, r.close, r.volume);
    return builder.build();
  }
}
