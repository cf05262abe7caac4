import { Injectable, Logger, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { BarStoreBuilder, type BarStore } from '#scan-engine';
import { BarSnapshots } from './bar-snapshot.files.js';
import type { SnapshotIdentity } from './bar-snapshot.format.js';
import { PgBinaryBarsDecoder } from './pg-binary-bars.decoder.js';

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
  /** Where the bars came from: this version's snapshot file, or PostgreSQL (COPY). */
  source: 'snapshot' | 'postgres';
}

/** Upper bound for loading every bar (12.6 M rows take well under a minute on a quiet machine). */
const LOAD_TIMEOUT_S = 600;

/**
 * The in-memory columnar cache of all bars, keyed by data version: loaded once per version and
 * shared by every scan until the version changes. Concurrent scans waiting for the same version
 * share one load. The bars come from the version's snapshot file when a worker wrote one (read in
 * one pass), else from a streaming COPY (no row objects), after which this worker writes the
 * snapshot for the next one to start from. Instruments (names, sectors, active) are always read
 * from PostgreSQL: item edits do not bump the data version, so a snapshot must not freeze them.
 */
@Injectable()
export class BarCacheLoader {
  private readonly logger = new Logger(BarCacheLoader.name);
  private current: Promise<LoadedUniverse> | null = null;
  private currentVersion = -1;
  /** The latest snapshot write this loader started (tests and the bench wait for it). */
  snapshotWritten: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: DataVersions,
    @Optional() private readonly snapshots?: BarSnapshots,
  ) {}

  /**
   * The data version a job should scan: the one it was admitted on (the version the api keyed its
   * run and cache entry by) when this cache holds it, without a query; else the database's current
   * one. Bars are upserted in place, so an older version than the cached one cannot be read back.
   */
  async versionFor(requested: number): Promise<number> {
    if (this.current && this.currentVersion === requested) return requested;
    return this.currentDataVersion();
  }

  /** The universe at `version`, loaded once and shared by every scan until another version is asked for. */
  async load(version: number): Promise<{ universe: LoadedUniverse; cacheHit: boolean }> {
    if (this.current && this.currentVersion === version)
      return { universe: await this.current, cacheHit: true };
    const loading: Promise<LoadedUniverse> = this.read(version).then(
      // The snapshot may be newer than asked for (a bump in between): key the cache by what it holds.
      (universe) => {
        if (this.current === loading) this.currentVersion = universe.dataVersion;
        return universe;
      },
      (error: unknown) => {
        if (this.current === loading) {
          this.current = null;
          this.currentVersion = -1;
        }
        throw error;
      },
    );
    this.current = loading;
    this.currentVersion = version;
    return { universe: await loading, cacheHit: false };
  }

  private currentDataVersion(): Promise<number> {
    return this.versions.current();
  }

  private async read(expectedVersion: number): Promise<LoadedUniverse> {
    let dataVersion = expectedVersion;
    const started = performance.now();
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      // One snapshot for items, bars and the version; the COPY of millions of rows may outlast the
      // pool's statement_timeout, which guards request-sized queries, so this transaction lifts it.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET LOCAL statement_timeout = '${LOAD_TIMEOUT_S}s'`);
      // runner.manager queries on this same client, so inside the snapshot just begun.
      dataVersion = await this.versions.current(runner.manager);
      const instruments = (
        await client.query<InstrumentRow>(
          'SELECT symbol, name, sector, active FROM items ORDER BY symbol',
        )
      ).rows;
      const identity = this.snapshots ? await versionIdentity(client, dataVersion) : null;
      const fromFile = identity ? await this.readSnapshot(identity) : null;
      const store = fromFile ?? (await copyBars(client));
      await client.query('COMMIT');
      const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
      const aligned = store.symbols.map(
        (s) => bySymbol.get(s) ?? { symbol: s, name: s, sector: 'Unknown', active: false },
      );
      const indexOf = new Map(store.symbols.map((s, i) => [s, i]));
      const loadMs = performance.now() - started;
      const source = fromFile ? 'snapshot' : 'postgres';
      this.logger.log(
        {
          dataVersion,
          source,
          symbols: store.symbols.length,
          bars: store.dates.length,
          loadMs: Math.round(loadMs),
        },
        'bar cache loaded',
      );
      if (!fromFile && identity) this.snapshotWritten = this.writeSnapshot(store, identity);
      return { dataVersion, store, instruments: aligned, indexOf, loadMs, source };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The version's snapshot, or null (missing, stale or corrupt: then PostgreSQL, and a rewrite). */
  private async readSnapshot(identity: SnapshotIdentity): Promise<BarStore | null> {
    // Version 0 is an empty database: nothing worth a file.
    if (!this.snapshots || identity.dataVersion === 0) return null;
    const read = await this.snapshots.read(identity).catch((error: unknown) => {
      this.logger.warn(
        { err: error, ...identity },
        'bar snapshot unreadable: loading from PostgreSQL',
      );
      return null;
    });
    if (read?.store) return read.store;
    if (read?.reason === 'rejected')
      this.logger.warn(
        {
          dataVersion: identity.dataVersion,
          problem: read.detail,
          dir: this.snapshots.dir,
        },
        'bar snapshot rejected: loading from PostgreSQL and rewriting it',
      );
    return null;
  }

  /**
   * Writes the snapshot after the load, off the scan's path (the scan that asked for the load does
   * not wait for it); a failure (disk full, read-only volume) is logged, never a failed scan.
   */
  private async writeSnapshot(store: BarStore, identity: SnapshotIdentity): Promise<void> {
    if (!this.snapshots || identity.dataVersion === 0) return;
    const started = performance.now();
    try {
      const { path, bytes } = await this.snapshots.write(store, identity);
      this.logger.log(
        {
          dataVersion: identity.dataVersion,
          path,
          bytes,
          writeMs: Math.round(performance.now() - started),
        },
        'bar snapshot written',
      );
    } catch (error) {
      this.logger.warn(
        { err: error, dataVersion: identity.dataVersion },
        'bar snapshot not written',
      );
    }
  }
}

/**
 * `dataVersion` with the fingerprint of its data_versions row (when it was recorded, from what
 * input): a snapshot of version 7 from another database, or from before a database was reset and
 * re-imported, does not match it.
 */
async function versionIdentity(client: PoolClient, dataVersion: number): Promise<SnapshotIdentity> {
  const row = (
    await client.query<{ f: string }>(
      `SELECT id || '/' || source || '/' || checksum || '/' || (extract(epoch FROM created_at) * 1000000)::bigint AS f
         FROM data_versions WHERE id = $1`,
      [dataVersion],
    )
  ).rows[0];
  return { dataVersion, fingerprint: row?.f ?? `${dataVersion}/none` };
}

/** Every bar with one streaming binary COPY, decoded straight into the columns. */
async function copyBars(client: PoolClient): Promise<BarStore> {
  // The exact row count (same snapshot as the COPY) sizes the columns once: no regrowth, no trim copy.
  // Shared from the start, so a large scan's threads read these columns without the processor
  // first copying them onto SharedArrayBuffers (a second copy of every bar at the peak).
  const counted = await client.query<{ n: string }>('SELECT count(*) AS n FROM price_bars');
  const builder = new BarStoreBuilder(Number(counted.rows[0]?.n ?? 0), { shared: true });
  const decoder = new PgBinaryBarsDecoder((symbol, date, open, high, low, close, volume) =>
    builder.append(symbol, date, open, high, low, close, volume),
  );
  const stream = client.query(
    copyTo(
      'COPY (SELECT symbol, date, open, high, low, close, volume FROM price_bars ORDER BY symbol, date) TO STDOUT (FORMAT binary)',
    ),
  );
  for await (const chunk of stream) decoder.write(chunk as Buffer);
  if (!decoder.finished) throw new Error('the bars COPY stream ended early');
  return builder.build();
}
