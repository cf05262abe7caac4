import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { WATCH_CHECK_SCHEDULER_ID, WatchesProducer } from '#jobs';

/**
 * Keeps the periodic check in Redis (every WATCH_CHECK_INTERVAL_MS; the first runs at once, so a
 * version made while no worker ran is evaluated at boot). Every worker upserts the same id: one
 * schedule whatever their number. In the background: a Redis still starting must not hold up the app.
 */
@Injectable()
export class WatchesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(WatchesScheduler.name);

  constructor(
    private readonly producer: WatchesProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.watches.checkIntervalMs;
    void this.producer
      .scheduleCheck(everyMs)
      .then(() =>
        this.logger.log(
          { schedulerId: WATCH_CHECK_SCHEDULER_ID, everyMs },
          'watches are checked against the data version periodically',
        ),
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'could not schedule the watch check'),
      );
  }
}
