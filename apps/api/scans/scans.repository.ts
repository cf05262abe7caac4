import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { ScanRunEntity } from '#database';
import type { NormalizedScanRequest, ScanHit } from '#jobs';

/** A run to insert as queued. */
export interface NewRun {
  id: string;
  apiKeyId: string;
  requestHash: string;
  request: NormalizedScanRequest;
  dataVersion: number;
  requestId: string;
}

/**
 * What `insertQueued` did: inserted the run; found an identical run in flight (join it); or found
 * the credential at its cap of runs in flight (it may still join an identical run).
 */
export type InsertOutcome = { run: ScanRunEntity } | { inFlight: true } | { capped: true };

/** The entity of a run just inserted as queued: its fields and the columns' defaults. */
const queuedRun = (run: NewRun, createdAt: Date): ScanRunEntity =>
  Object.assign(new ScanRunEntity(), {
    id: run.id,
    apiKeyId: run.apiKeyId,
    viewerKeyIds: [],
    requestHash: run.requestHash,
    // As stored: a jsonb round trip keeps no undefined fields.
    request: JSON.parse(JSON.stringify(run.request)) as Record<string, unknown>,
    dataVersion: run.dataVersion,
    status: 'queued',
    summary: null,
    error: null,
    attempts: 0,
    requestId: run.requestId,
    createdAt,
    startedAt: null,
    completedAt: null,
  } satisfies Omit<ScanRunEntity, never>);

/** Named queries on scan_runs and scan_results. */
@Injectable()
export class ScansRepository {
  private readonly runs: Repository<ScanRunEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.runs = dataSource.getRepository(ScanRunEntity);
  }

  /**
   * Inserts a queued run unless an identical one is already in flight (the partial unique index
   * decides, atomically across api processes) or its credential already has `maxInFlight` runs
   * queued or running. The count and the insert run under a transaction-scoped advisory lock on
   * the credential, so its concurrent requests — on any api process — are counted one after the
   * other and the cap is exact. Runs older than 10 minutes are not counted: one whose job Redis
   * lost stays `queued` until an identical request re-enqueues it, and must not hold its owner's
   * place forever.
   */
  insertQueued(run: NewRun, maxInFlight: number): Promise<InsertOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `scans-in-flight:${run.apiKeyId}`,
      ]);
      const [row] = (await manager.query(
        `WITH open AS (
           SELECT count(*)::int AS n FROM scan_runs
           WHERE api_key_id = $2::uuid AND status IN ('queued', 'running')
             AND created_at > now() - interval '10 minutes'),
         inserted AS (
           INSERT INTO scan_runs (id, api_key_id, request_hash, request, data_version, status, request_id)
           SELECT $1::uuid, $2::uuid, $3, $4::jsonb, $5::int, 'queued', $6
           WHERE (SELECT n FROM open) < $7
           ON CONFLICT (request_hash, data_version) WHERE status IN ('queued', 'running') DO NOTHING
           RETURNING created_at)
         SELECT (SELECT n FROM open) AS open, (SELECT created_at FROM inserted) AS created_at`,
        [
          run.id,
          run.apiKeyId,
          run.requestHash,
          JSON.stringify(run.request),
          run.dataVersion,
          run.requestId,
          maxInFlight,
        ],
      )) as { open: number; created_at: Date | null }[];
      // The row as inserted, built here rather than read back: one round trip fewer per new scan.
      if (row!.created_at) return { run: queuedRun(run, row!.created_at) };
      return row!.open >= maxInFlight ? { capped: true } : { inFlight: true };
    });
  }

  findInFlight(requestHash: string, dataVersion: number): Promise<ScanRunEntity | null> {
    return this.runs
      .createQueryBuilder('r')
      .where('r.requestHash = :requestHash AND r.dataVersion = :dataVersion', {
        requestHash,
        dataVersion,
      })
      .andWhere(`r.status IN ('queued', 'running')`)
      .getOne();
  }

  /** The newest completed run of this request on this data version: results outlive the cache. */
  findCompleted(requestHash: string, dataVersion: number): Promise<ScanRunEntity | null> {
    return this.runs
      .createQueryBuilder('r')
      .where(
        `r.requestHash = :requestHash AND r.dataVersion = :dataVersion AND r.status = 'completed'`,
        { requestHash, dataVersion },
      )
      .orderBy('r.completedAt', 'DESC')
      .limit(1)
      .getOne();
  }

  findById(id: string): Promise<ScanRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  /** The run if this key started it or asked for it (a key sees only its own scans). */
  findVisible(id: string, apiKeyId: string): Promise<ScanRunEntity | null> {
    return this.runs
      .createQueryBuilder('r')
      .where('r.id = :id', { id })
      .andWhere('(r.apiKeyId = :apiKeyId OR :apiKeyId = ANY(r.viewerKeyIds))', { apiKeyId })
      .getOne();
  }

  /** Lets another key see a run it asked for (shared in flight or answered from the cache). */
  async addViewer(id: string, apiKeyId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET viewer_key_ids = array_append(viewer_key_ids, $2::uuid)
       WHERE id = $1 AND api_key_id <> $2::uuid AND NOT ($2::uuid = ANY(viewer_key_ids))`,
      [id, apiKeyId],
    );
  }

  async hits(scanRunId: string): Promise<ScanHit[]> {
    const rows = (await this.dataSource.query(
      'SELECT hit FROM scan_results WHERE scan_run_id = $1 ORDER BY rank',
      [scanRunId],
    )) as {
      hit: ScanHit;
    }[];
    return rows.map((r) => r.hit);
  }

  /** Removes a run that could not be enqueued, so the request can be retried. */
  async deleteQueued(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM scan_runs WHERE id = $1 AND status = 'queued'`, [id]);
  }

  /** The GICS sector of each symbol of the list that is an active item (unknown ones are absent). */
  async activeSectors(symbols: string[]): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(
      'SELECT symbol, sector FROM items WHERE symbol = ANY($1::varchar[]) AND active',
      [symbols],
    )) as { symbol: string; sector: string }[];
    return new Map(rows.map((r) => [r.symbol, r.sector]));
  }
}
