import { Injectable, Logger } from '@nestjs/common';
import { createInterface } from 'node:readline';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { BarStoreBuilder, type BarStore } from '#scan-engine';

export interface InstrumentRow {
  symbol: string;
  name: string;
  sector: string;
  active: boolean;
}

/** Everything a scan reads, for one data version, held in memory as columns. */
export interface LoadedUniverse {
  dataVersion: number;
  store: BarStore;
  /** Aligned with store.symbols. */
  instruments: InstrumentRow[];
  indexOf: Map<string, number>;
  loadMs: number;
}

/**
 * The in-memory columnar cache of all bars, keyed by data version: loaded once per version (with a
 * streaming COPY, no row objects) and shared by every scan until the version changes. Concurrent
 * scans waiting for the same version share one load.
 */
@Injectable()
export class BarCacheLoader {
  private readonly logger = new Logger(BarCacheLoader.name);
  private current: Promise<LoadedUniverse> | null = null;
  private currentVersion = -1;

  constructor(private readonly dataSource: DataSource) {}

  async currentDataVersion(): Promise<number> {
    const [row] = (await this.dataSource.query('SELECT coalesce(max(id), 0) AS v FROM data_versions')) as { v: number }[];
    return Number(row!.v);
  }

  /** The universe at the database's current data version (reloaded when the version moved). */
  async load(): Promise<{ universe: LoadedUniverse; cacheHit: boolean }> {
    const version = await this.currentDataVersion();
    if (this.current && this.currentVersion === version) return { universe: await this.current, cacheHit: true };
    this.currentVersion = version;
    this.current = this.read(version).catch((error: unknown) => {
      this.current = null;
      this.currentVersion = -1;
      throw error;
    });
    return { universe: await this.current, cacheHit: false };
  }

  private async read(dataVersion: number): Promise<LoadedUniverse> {
    const started = performance.now();
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      const instruments = (await client.query<InstrumentRow>('SELECT symbol, name, sector, active FROM items ORDER BY symbol')).rows;
      const estimate = await client.query<{ n: number }>(`SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'price_bars'`);
      const builder = new BarStoreBuilder(Number(estimate.rows[0]?.n ?? 0) + 1024);
      const stream = client.query(
        copyTo(
          `COPY (SELECT symbol, to_char(date, 'YYYYMMDD'), open, high, low, close, volume
                 FROM price_bars ORDER BY symbol, date) TO STDOUT`,
        ),
      );
      for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
        const t = line.split('\t');
        builder.append(t[0]!, Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6]));
      }
      const store = builder.build();
      const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
      const aligned = store.symbols.map((s) => bySymbol.get(s) ?? { symbol: s, name: s, sector: 'Unknown', active: false });
      const indexOf = new Map(store.symbols.map((s, i) => [s, i]));
      const loadMs = performance.now() - started;
      this.logger.log({ dataVersion, symbols: store.symbols.length, bars: store.dates.length, loadMs: Math.round(loadMs) }, 'bar cache loaded');
      return { dataVersion, store, instruments: aligned, indexOf, loadMs };
    } finally {
      await runner.release();
    }
  }
}
