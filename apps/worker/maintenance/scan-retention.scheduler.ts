import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MaintenanceProducer, PRUNE_SCANS_SCHEDULER_ID } from '#jobs';

/** 03:17 UTC every day: a quiet hour for US markets, off the full hour when other cron jobs run. */
export const PRUNE_CRON = { pattern: '17 3 * * *', tz: 'UTC' } as const;

/**
 * Keeps the daily prune-scans schedule in Redis. Every worker upserts the same scheduler id, so
 * N workers still give one job a day. In the background on the worker's patient Redis connection:
 * a Redis still starting must not hold up the app.
 */
@Injectable()
export class ScanRetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScanRetentionScheduler.name);

  constructor(private readonly producer: MaintenanceProducer) {}

  onApplicationBootstrap(): void {
    void this.producer
      .schedulePrune(PRUNE_CRON)
      .then(() =>
        this.logger.log(
          { schedulerId: PRUNE_SCANS_SCHEDULER_ID, ...PRUNE_CRON },
          'old scan runs are deleted daily',
        ),
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'could not schedule the scan retention job'),
      );
  }
}
