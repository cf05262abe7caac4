import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DataVersionEntity } from './entities/data-version.entity.js';

/** What a change of the price data records about itself (DataVersionEntity without id and time). */
export type NewDataVersion = Pick<
  DataVersionEntity,
  'source' | 'checksum' | 'symbols' | 'bars' | 'report'
>;

/** How long `recent()` reuses a version read from PostgreSQL. */
const RECENT_MS = 2000;

/**
 * The data version: the id of the newest `data_versions` row, 0 before any import. Cached scans and
 * the worker's bar cache are keyed by it, so every writer of bars bumps it and every reader asks here.
 */
@Injectable()
export class DataVersions {
  private cached = { value: 0, expiresAt: 0 };

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The current version as read at most `RECENT_MS` ago: the api's hot paths (scans, bars) ask on
   * every request, and a new version retires cached answers within that time.
   */
  async recent(): Promise<number> {
    const now = Date.now();
    if (now >= this.cached.expiresAt)
      this.cached = { value: await this.current(), expiresAt: now + RECENT_MS };
    return this.cached.value;
  }

  /**
   * The current version. Pass a transaction's manager to read it in that transaction's snapshot
   * (the worker reads it together with the bars it loads).
   */
  async current(manager: EntityManager = this.dataSource.manager): Promise<number> {
    // Raw SQL, not Repository.maximum: the api reads this on the scan path, where the query
    // builder's overhead would show.
    const [row] = (await manager.query('SELECT coalesce(max(id), 0) AS v FROM data_versions')) as {
      v: number;
    }[];
    return Number(row!.v);
  }

  /** The newest version recorded by `source` from input with this checksum, if any. */
  findLatest(source: string, checksum: string): Promise<DataVersionEntity | null> {
    return this.dataSource
      .getRepository(DataVersionEntity)
      .findOne({ where: { source, checksum }, order: { id: 'DESC' } });
  }

  /**
   * Records a new version and returns its id. Only inside the transaction that wrote the data: the
   * version and the bars it describes commit together, or neither does, so no reader ever sees a
   * version whose bars are missing (or new bars under an old version that cached scans still use).
   */
  async bump(manager: EntityManager, version: NewDataVersion): Promise<number> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('DataVersions.bump must run inside the transaction that wrote the data');
    }
    const saved = await manager.getRepository(DataVersionEntity).save({ ...version });
    return saved.id;
  }
}
