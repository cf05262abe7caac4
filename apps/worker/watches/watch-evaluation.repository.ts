import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedScanRequest } from '#jobs';
import type { WatchNotify, WatchResultRow } from '#database';
import { diffTopN, topRows, type AlertDraft } from './watch-diff.js';

/** A watch as evaluation sees it. */
export interface StaleWatch {
  id: string;
  installationId: string;
  notify: WatchNotify;
  lastResult: WatchResultRow[] | null;
}

export interface BatchOutcome {
  /** Watches this batch moved to the version (0 when another evaluation got there first). */
  evaluated: number;
  alerts: { id: string; kind: AlertDraft['kind']; watchId: string }[];
}

/** Not yet at `version`: never evaluated, or last evaluated on an older version. */
const STALE = '(last_data_version IS NULL OR last_data_version < $1)';

/**
 * The SQL of watch evaluation. The fence is `last_data_version`: a batch locks its watches, keeps
 * only those still behind the version (and still on the request that was scanned), records their
 * alerts and moves them to the version in one transaction. A crash before the commit leaves the
 * batch as it was; after it, the batch is no longer stale. The UNIQUE (watch, version, kind,
 * symbol) of alerts is the second line: ON CONFLICT DO NOTHING.
 */
@Injectable()
export class WatchEvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** True when some watch is behind `version`: cheap, for the periodic check. */
  async anyStale(version: number): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM watches WHERE ${STALE} LIMIT 1`, [
      version,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** One row per distinct request among the watches behind `version`. */
  async staleRequests(
    version: number,
  ): Promise<{ requestHash: string; request: NormalizedScanRequest }[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (request_hash) request_hash, request FROM watches WHERE ${STALE} ORDER BY request_hash`,
      [version],
    )) as { request_hash: string; request: NormalizedScanRequest }[];
    return rows.map((r) => ({ requestHash: r.request_hash, request: r.request }));
  }

  /** Ids of the watches of one request behind `version`, in a stable order. */
  async staleWatchIds(version: number, requestHash: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM watches WHERE ${STALE} AND request_hash = $2 ORDER BY id`,
      [version, requestHash],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Compares each watch of `ids` with `ranking` (the scan's rows, best first) and commits its alerts
   * and new result, all in one transaction.
   */
  async commitBatch(
    version: number,
    requestHash: string,
    ids: string[],
    ranking: readonly WatchResultRow[],
  ): Promise<BatchOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const locked = (await manager.query(
        `SELECT id, installation_id, notify, last_result FROM watches
          WHERE id = ANY($2::uuid[]) AND request_hash = $3 AND ${STALE}
          ORDER BY id FOR UPDATE`,
        [version, ids, requestHash],
      )) as {
        id: string;
        installation_id: string;
        notify: WatchNotify;
        last_result: WatchResultRow[] | null;
      }[];
      if (locked.length === 0) return { evaluated: 0, alerts: [] };
      const cols = {
        watch: [] as string[],
        installation: [] as string[],
        kind: [] as string[],
        symbol: [] as string[],
        before: [] as (string | null)[],
        after: [] as (string | null)[],
      };
      const results: string[] = [];
      for (const watch of locked) {
        const current = topRows(ranking, watch.notify.topN);
        results.push(JSON.stringify(current));
        for (const draft of diffTopN(watch.last_result, current, watch.notify)) {
          cols.watch.push(watch.id);
          cols.installation.push(watch.installation_id);
          cols.kind.push(draft.kind);
          cols.symbol.push(draft.symbol);
          cols.before.push(draft.before && JSON.stringify(draft.before));
          cols.after.push(draft.after && JSON.stringify(draft.after));
        }
      }
      let alerts: BatchOutcome['alerts'] = [];
      if (cols.watch.length > 0) {
        alerts = (await manager.query(
          `INSERT INTO alerts (watch_id, installation_id, data_version, kind, symbol, before, after)
           SELECT w, i, $1, k, s, b, a
             FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::jsonb[], $7::jsonb[])
               AS t(w, i, k, s, b, a)
           ON CONFLICT ON CONSTRAINT alerts_watch_version_kind_symbol_uq DO NOTHING
           RETURNING id::text AS id, kind, watch_id AS "watchId"`,
          [version, cols.watch, cols.installation, cols.kind, cols.symbol, cols.before, cols.after],
        )) as BatchOutcome['alerts'];
      }
      await manager.query(
        `UPDATE watches w SET last_result = v.r, last_data_version = $1, last_evaluated_at = now()
           FROM unnest($2::uuid[], $3::jsonb[]) AS v(id, r) WHERE w.id = v.id`,
        [version, locked.map((w) => w.id), results],
      );
      return { evaluated: locked.length, alerts };
    });
  }

  /**
   * Alerts of `version` delivery has not handled yet, by watch: what an evaluation hands over at
   * its end — including those a crashed attempt committed but never handed over.
   */
  async undelivered(version: number): Promise<{ id: string; watchId: string }[]> {
    return (await this.dataSource.query(
      `SELECT id::text AS id, watch_id AS "watchId" FROM alerts
        WHERE data_version = $1 AND push_state IS NULL AND ws_published_at IS NULL
        ORDER BY watch_id, id`,
      [version],
    )) as { id: string; watchId: string }[];
  }
}
