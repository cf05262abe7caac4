import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { MarketDataProducer, QUEUES, REFRESH_SCHEDULER_ID } from '#jobs';

/**
 * 16:30 New York time, Monday to Friday. The regular session closes at 16:00 ET and Polygon's
 * daily aggregates are out within minutes, so half an hour later the day's bar is there. The time
 * zone is New York rather than UTC so the run follows daylight-saving changes and stays 30 minutes
 * after the close all year. Holidays run anyway: the day comes back empty and nothing changes.
 */
export const REFRESH_CRON = { pattern: '30 16 * * 1-5', tz: 'America/New_York' } as const;

/**
 * Keeps the after-close refresh schedule in Redis while live data is on (POLYGON_API_KEY set), and
 * removes a schedule left by an earlier start when it is off: nobody would consume its jobs. Both
 * run in the background on the worker's patient Redis connection: a Redis still starting must not
 * hold up the app.
 */
@Injectable()
export class RefreshBarsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RefreshBarsScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: MarketDataProducer,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.polygon.apiKey) {
      void this.producer
        .scheduleRefresh(REFRESH_CRON)
        .then(() =>
          this.logger.log(
            { schedulerId: REFRESH_SCHEDULER_ID, ...REFRESH_CRON },
            'live data on: bars refresh after the US close',
          ),
        )
        .catch((error: unknown) =>
          this.logger.error({ err: error }, 'could not schedule the live-data refresh'),
        );
      return;
    }
    this.logger.log(
      { queue: QUEUES.marketData },
      'POLYGON_API_KEY is not set: live data is off, bars change only by import',
    );
    void this.producer
      .unscheduleRefresh()
      .then((removed) => {
        if (removed)
          this.logger.log(
            { schedulerId: REFRESH_SCHEDULER_ID },
            'removed the live-data schedule of an earlier start',
          );
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not check for a stale live-data schedule'),
      );
  }
}
