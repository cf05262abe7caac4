import { Inject, Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#config';
import { DrainingWorkerHost, JOBS, parsePruneScansPayload, QUEUES } from '#jobs';
import { scanRetentionDeletedRuns } from '#observability';
import { ScanRetentionRepository } from './scan-retention.repository.js';

/** Runs per DELETE: with up to 500 hits each, a batch removes at most 100,000 result rows. */
export const PRUNE_BATCH = 200;
const DAY_MS = 86_400_000;

export interface PruneScansResult {
  deletedRuns: number;
  cutoff: string;
}

/**
 * Consumes the maintenance queue: prune-scans deletes the finished scan runs (with their results)
 * older than SCAN_RETENTION_DAYS, in batches until none is left, and counts them in
 * `scan_retention_deleted_runs_total`.
 */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class ScanRetentionProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(ScanRetentionProcessor.name);
  /** The clock the cutoff is computed from (a spec sets it). */
  now: () => number = Date.now;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: ScanRetentionRepository,
  ) {
    super();
  }

  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<PruneScansResult> {
    if (job.name !== JOBS.pruneScans)
      throw new UnrecoverableError(`unknown job "${job.name}" on the ${QUEUES.maintenance} queue`);
    const payload = parsePruneScansPayload(job.data);
    const cutoff = new Date(this.now() - this.config.scans.retentionDays * DAY_MS);
    let deletedRuns = 0;
    for (;;) {
      const deleted = await this.runs.deleteBatch(cutoff, PRUNE_BATCH);
      // Counted per batch: a job that fails halfway still reports what it removed.
      scanRetentionDeletedRuns.inc(deleted);
      deletedRuns += deleted;
      if (deleted < PRUNE_BATCH) break;
    }
    const result = { deletedRuns, cutoff: cutoff.toISOString() };
    this.logger.log(
      { jobId: job.id, requestId: payload.requestId, ...result },
      'old scan runs deleted',
    );
    return result;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.error(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
      'prune-scans job failed',
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'maintenance worker connection error');
  }
}
