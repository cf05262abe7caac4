import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { createFailFastRedis } from '#redis';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { RequestUnits } from './request-units.js';

/**
 * The shared Redis counter store: used by the HTTP throttler and by the WebSocket gateway (which
 * limits connects per IP and shares the scans-create budget with POST /v1/scans), and the
 * routes whose requests cost more than one unit.
 */
@Module({
  providers: [
    {
      provide: RedisThrottlerStorage,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // A dedicated connection: the limiter's fail-fast behaviour must not depend on other users.
        const redis = createFailFastRedis(config, 'market-scanner-ratelimit');
        redis.on('error', () => {});
        return new RedisThrottlerStorage(redis);
      },
    },
    RequestUnits,
  ],
  exports: [RedisThrottlerStorage, RequestUnits],
})
export class RateLimitStorageModule {}
