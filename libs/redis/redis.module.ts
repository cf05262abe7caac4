import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';

/** Injection token of the shared ioredis client used for counters, cache and health. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * A client that fails fast while Redis is away instead of queueing commands: callers (the rate
 * limiter, health, the scan cache) each decide what an unavailable Redis means for them.
 */
export function createFailFastRedis(
  config: Pick<AppConfig, 'redisUrl' | 'redisTlsCa'>,
  connectionName: string,
): Redis {
  return new Redis(config.redisUrl, {
    connectionName,
    // rediss:// turns TLS on; a CA of our own replaces the system's trust store for it.
    ...(config.redisTlsCa ? { tls: { ca: config.redisTlsCa } } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    // Keep trying to reconnect, at most once a second, forever.
    retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
  });
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const redis = createFailFastRedis(config, 'market-scanner');
        // Without a listener ioredis prints every reconnect error; health reports the state instead.
        redis.on('error', () => {});
        return redis;
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
