import { Module, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, type RateLimitBucket } from '#config';
import { createFailFastRedis } from '#jobs';
import { RATE_LIMIT_BUCKET } from './rate-limit.decorator.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const bucketOf = (reflector: Reflector, context: ExecutionContext) =>
  reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT_BUCKET, [context.getHandler(), context.getClass()]);

/** Per-endpoint limits of DESIGN §7 as one throttler whose limit depends on the route's bucket. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const reflector = new Reflector();
        // A dedicated connection: the limiter's fail-fast behaviour must not depend on other users.
        const redis: Redis = createFailFastRedis(config.redisUrl, 'market-scanner-ratelimit');
        redis.on('error', () => {});
        return {
          storage: new RedisThrottlerStorage(redis),
          skipIf: (context) => context.getType() !== 'http' || bucketOf(reflector, context) === undefined,
          generateKey: (context, tracker) => `${bucketOf(reflector, context)}:${tracker}`,
          throttlers: [
            {
              name: 'default',
              ttl: config.rateLimits.windowSeconds * 1000,
              limit: (context) => config.rateLimits.perWindow[bucketOf(reflector, context)!],
            },
          ],
        };
      },
    }),
  ],
})
export class RateLimitModule {}
