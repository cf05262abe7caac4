import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { bullConnection, closeWithin, JOBS, QUEUES } from '#jobs';
import { isPermanentPolygonError, PolygonClient, refreshBars, type RefreshReport } from '#market-data';
import { parseRefreshBarsPayload, type RefreshBarsPayloadV1 } from './refresh-bars.payload.js';

/** Id of the repeatable job; upserting it again (every worker start) replaces, never duplicates. */
export const REFRESH_SCHEDULER_ID = 'refresh-bars-after-close';

/**
 * 16:30 New York time, Monday to Friday. The regular session closes at 16:00 ET and Polygon's
 * daily aggregates are out within minutes, so half an hour later the day's bar is there. The time
 * zone is New York rather than UTC so the run follows daylight-saving changes and stays 30 minutes
 * after the close all year. Holidays run anyway: the day comes back empty and nothing changes.
 */
export const REFRESH_CRON = { pattern: '30 16 * * 1-5', tz: 'America/New_York' } as const;

/** What a finished job returns (kept in Redis with the job, so only counts, no bar lists). */
export type RefreshJobResult = Omit<RefreshReport, 'repaired' | 'skipped' | 'requestedDays' | 'daysWithData'> & {
  requestedDays: number;
  daysWithData: number;
  repaired: number;
  skipped: number;
};

/**
 * Consumes the market-data queue: each refresh-bars job runs the Polygon refresher, which fetches the
 * days missing since the newest bar, upserts them and bumps the data version. With POLYGON_API_KEY
 * unset the processor stays idle (live data off) and removes a schedule left from an earlier start.
 */
@Injectable()
export class MarketDataProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MarketDataProcessor.name);
  private worker: Worker | null = null;
  private queue: Queue | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.polygon.apiKey) {
      this.logger.log({ queue: QUEUES.marketData }, 'POLYGON_API_KEY is not set: live data is off, bars change only by import');
      void this.removeStaleSchedule();
      return;
    }
    // The consumer settings wait for Redis instead of failing, so the scheduler call below runs in
    // the background: a Redis still starting must not hold up the app.
    const connection = bullConnection(this.config.redisUrl, 'consumer');
    this.queue = new Queue(QUEUES.marketData, { connection });
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'market-data queue connection error'));
    this.worker = new Worker(QUEUES.marketData, (job) => this.process(job), { connection, concurrency: 1 });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'market-data worker connection error'));
    this.worker.on('failed', (job, error) =>
      this.logger.error({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'refresh-bars job failed'),
    );
    const data: RefreshBarsPayloadV1 = { v: 1, requestId: `schedule:${REFRESH_SCHEDULER_ID}` };
    void this.queue
      .upsertJobScheduler(REFRESH_SCHEDULER_ID, REFRESH_CRON, {
        name: JOBS.refreshBars,
        data,
        opts: {
          // The client already retried each request; a job-level retry covers longer outages.
          attempts: 3,
          backoff: { type: 'exponential', delay: 10 * 60_000 },
          // The outcome is in data_versions; Redis keeps only a short history for operators.
          removeOnComplete: { count: 50 },
          removeOnFail: { count: 100 },
        },
      })
      .then(() =>
        this.logger.log({ schedulerId: REFRESH_SCHEDULER_ID, ...REFRESH_CRON }, 'live data on: bars refresh after the US close'),
      )
      .catch((error: unknown) => this.logger.error({ err: error }, 'could not schedule the live-data refresh'));
  }

  /**
   * Without a key nobody consumes the queue, so a schedule left by an earlier start with a key would
   * pile up jobs. One fail-fast attempt; if Redis is away the next start tries again.
   */
  private async removeStaleSchedule(): Promise<void> {
    const queue = new Queue(QUEUES.marketData, { connection: bullConnection(this.config.redisUrl, 'producer') });
    queue.on('error', () => {});
    this.queue = queue;
    try {
      if (await queue.removeJobScheduler(REFRESH_SCHEDULER_ID)) {
        this.logger.log({ schedulerId: REFRESH_SCHEDULER_ID }, 'removed the live-data schedule of an earlier start');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not check for a stale live-data schedule');
    } finally {
      this.queue = null;
      await queue.close().catch(() => {});
    }
  }

  /** Runs one job of the market-data queue (the Worker's handler). */
  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<RefreshJobResult> {
    if (job.name !== JOBS.refreshBars)
      throw new UnrecoverableError(`unknown job "${job.name}" on the ${QUEUES.marketData} queue`);
    const payload = parseRefreshBarsPayload(job.data);
    const { apiKey, baseUrl } = this.config.polygon;
    if (!apiKey) throw new UnrecoverableError('POLYGON_API_KEY is not set on this worker: live data is off');
    const context = { jobId: job.id, requestId: payload.requestId };
    const client = new PolygonClient({
      apiKey,
      baseUrl,
      onRetry: (retry) => this.logger.warn({ ...context, ...retry }, 'Polygon request will be retried'),
    });
    let report: RefreshReport;
    try {
      report = await refreshBars(this.dataSource, { source: client, until: payload.until, maxDays: payload.maxDays });
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
    this.logger.log({ ...context, ...result, elapsedMs: Math.round(report.elapsedMs) }, 'bars refreshed from Polygon');
    if (report.backlogDays > 0) {
      this.logger.warn(
        { ...context, backlogDays: report.backlogDays },
        'bars still missing; the next runs continue where this one stopped',
      );
    }
    return result;
  }

  /** Lets a running job finish before the database pool closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await closeWithin(this.worker?.close(), 110_000);
    await closeWithin(this.queue?.close(), 2000);
  }
}
