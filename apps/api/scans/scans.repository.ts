import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { queryPrepared, ScanRunEntity } from '#database';
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
 * What `insertQueued` did: inserted the run; found an identical run in flight (join it); found
 * the credential at its cap of runs in flight (it may still join an identical run); or found an
 * identical run completed since the caller looked (answer from it).
 */
export type InsertOutcome =
  { run: ScanRunEntity } | { inFlight: true } | { capped: true } | { completed: true };

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
   * decides, atomically across api processes), its credential already has `maxInFlight` runs
   * queued or running, or an identical run has completed on this data version meanwhile. One call
   * of `scan_run_enqueue` (migration 1796800000000), one round trip: it counts and inserts under a
   * transaction-scoped advisory lock on the credential, so its concurrent requests — on any api
   * process — are counted one after the other and the cap is exact.
   */
  async insertQueued(run: NewRun, maxInFlight: number): Promise<InsertOutcome> {
    const [row] = await queryPrepared<{
      open_runs: number;
      created: Date | null;
      completed: boolean;
    }>(
      this.dataSource,
      'scan-run-enqueue',
      'SELECT open_runs, created, completed FROM scan_run_enqueue($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        run.id,
        run.apiKeyId,
        run.requestHash,
        JSON.stringify(run.request),
        run.dataVersion,
        run.requestId,
        maxInFlight,
        `scans-in-flight:${run.apiKeyId}`,
      ],
    );
    // The row as inserted, built here rather than read back: one round trip fewer per new scan.
    if (row!.created) return { run: queuedRun(run, row!.created) };
    if (row!.completed) return { completed: true };
    return row!.open_runs >= maxInFlight ? { capped: true } : { inFlight: true };
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
