import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { DrainingWorkerHost, JOBS, parseRefreshBarsPayload, QUEUES, WatchesProducer } from '#jobs';
import {
  isPermanentPolygonError,
  PolygonClient,
  refreshBars,
  type RefreshReport,
} from '#market-data';

/** What a finished job returns (kept in Redis with the job, so only counts, no bar lists). */
export type RefreshJobResult = Omit<
  RefreshReport,
  'repaired' | 'skipped' | 'requestedDays' | 'daysWithData'
> & {
  requestedDays: number;
  daysWithData: number;
  repaired: number;
  skipped: number;
};

/**
 * Consumes the market-data queue: each refresh-bars job runs the Polygon refresher, which fetches the
 * days missing since the newest bar, upserts them and bumps the data version. With POLYGON_API_KEY
 * unset the worker never starts taking jobs (live data off; RefreshBarsScheduler removes the schedule).
 */
@Processor(QUEUES.marketData, { concurrency: 1, autorun: false })
export class MarketDataProcessor extends DrainingWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MarketDataProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly watches: WatchesProducer,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (!this.config.polygon.apiKey) return;
    // run() settles only when the worker closes; it rejects if the worker cannot start at all.
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error({ err: error }, 'market-data worker stopped'));
  }

  /** Runs one job of the market-data queue. */
  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<RefreshJobResult> {
    if (job.name !== JOBS.refreshBars)
      throw new UnrecoverableError(`unknown job "${job.name}" on the ${QUEUES.marketData} queue`);
    const payload = parseRefreshBarsPayload(job.data);
    const { apiKey, baseUrl } = this.config.polygon;
    if (!apiKey)
      throw new UnrecoverableError('POLYGON_API_KEY is not set on this worker: live data is off');
    const context = { jobId: job.id, requestId: payload.requestId };
    const client = new PolygonClient({
      apiKey,
      baseUrl,
      onRetry: (retry) =>
        this.logger.warn({ ...context, ...retry }, 'Polygon request will be retried'),
    });
    let report: RefreshReport;
    try {
      report = await refreshBars(this.dataSource, {
        source: client,
        until: payload.until,
        maxDays: payload.maxDays,
      });
    } catch (error) {
      // A malformed body or a refused key will not get better by retrying the job.
      if (isPermanentPolygonError(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
    const result: RefreshJobResult = {
      ...report,
      requestedDays: report.requestedDays.length,
      daysWithData: report.daysWithData.length,
      repaired: report.repaired.length,
      skipped: report.skipped.length,
    };
    this.logger.log(
      { ...context, ...result, elapsedMs: Math.round(report.elapsedMs) },
      'bars refreshed from Polygon',
    );
    // A new version may change what watches see: evaluate them now rather than at the next check
    // (the job id is the version's, so announcing an unchanged one again adds nothing).
    await this.watches
      .evaluateVersion(report.dataVersion, `refresh-bars:${job.id}`)
      .catch((error: unknown) =>
        this.logger.warn({ ...context, err: error }, 'watch evaluation not announced'),
      );
    if (report.backlogDays > 0) {
      this.logger.warn(
        { ...context, backlogDays: report.backlogDays },
        'bars still missing; the next runs continue where this one stopped',
      );
    }
    return result;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.error(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
      'refresh-bars job failed',
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'market-data worker connection error');
  }
}
