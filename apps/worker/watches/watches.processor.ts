import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DrainingWorkerHost, JOBS, QUEUES } from '#jobs';
import { WatchEvaluator, type EvaluationSummary } from './watch-evaluator.js';

/**
 * Consumes the watches queue. `evaluate-watches` (one per data version, announced by whoever made
 * it) and `check-data-version` (the periodic catch-all) do the same thing — evaluate whatever is
 * behind the current version — so a version nobody announced, or a new watch, is evaluated at the
 * next check. Both are idempotent: the evaluator skips what is current.
 */
@Processor(QUEUES.watches, {
  name: `${hostname()}:${process.pid}`,
  // One evaluation at a time per process: it is CPU-bound, and two would scan the same requests.
  concurrency: 1,
  // A killed worker's evaluation is taken up again within ~10 s (as the scan consumer's).
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 2,
})
export class WatchesProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(WatchesProcessor.name);

  constructor(private readonly evaluator: WatchEvaluator) {
    super();
  }

  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<EvaluationSummary> {
    if (job.name !== JOBS.evaluateWatches && job.name !== JOBS.checkDataVersion)
      throw new UnrecoverableError(`unknown job "${job.name}" on the ${QUEUES.watches} queue`);
    return this.evaluator.evaluate();
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.error(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
      'watch evaluation failed',
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'watches worker connection error');
  }
}
