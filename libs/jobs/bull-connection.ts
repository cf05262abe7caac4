import type { RedisOptions } from 'bullmq';

/**
 * ioredis options for BullMQ from a redis:// or rediss:// URL (with the CA of REDIS_TLS_CA_FILE). Producers fail fast while Redis is away (so
 * `POST /v1/scans` can answer 503 in time); workers and event listeners wait and reconnect forever,
 * as BullMQ requires (`maxRetriesPerRequest: null`).
 */
export function bullConnection(
  redisUrl: string,
  role: 'producer' | 'consumer',
  tlsCa?: string,
): RedisOptions {
  const url = new URL(redisUrl);
  const base: RedisOptions = {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? (tlsCa ? { ca: tlsCa } : {}) : undefined,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
  };
  return role === 'producer'
    ? { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1500 }
    : { ...base, maxRetriesPerRequest: null, enableOfflineQueue: true };
}
