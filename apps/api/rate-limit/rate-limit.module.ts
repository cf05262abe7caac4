import { Module, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig, type RateLimitBucket } from '#config';
import type { AuthenticatedRequest } from '../auth/api-key.guard.js';
import { rateLimitKey, rateLimitOf, rateLimitWindowMs } from './rate-limit.budget.js';
import { RATE_LIMIT_BUCKET } from './rate-limit.decorator.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const bucketOf = (reflector: Reflector, context: ExecutionContext) =>
  reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT_BUCKET, [
    context.getHandler(),
    context.getClass(),
  ]);

/** Per-endpoint limits of DESIGN §7 as one throttler whose limit depends on the route's bucket. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [APP_CONFIG, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => {
        const reflector = new Reflector();
        return {
          storage,
          skipIf: (context) =>
            context.getType() !== 'http' || bucketOf(reflector, context) === undefined,
          generateKey: (context, tracker) => rateLimitKey(bucketOf(reflector, context)!, tracker),
          throttlers: [
            {
              name: 'default',
              ttl: rateLimitWindowMs(config),
              // The guard chain authenticated the caller first: its own overrides apply.
              limit: (context) =>
                rateLimitOf(
                  config,
                  bucketOf(reflector, context)!,
                  context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
                ),
            },
          ],
        };
      },
    }),
  ],
})
export class RateLimitModule {}
