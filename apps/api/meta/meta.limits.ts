import type { Redis } from 'ioredis';
import type { AppConfig, RateLimitBucket } from '#config';
import type { Principal } from '../auth/api-key.service.js';
import { rateLimitKey, rateLimitOf, trackerOf } from '../rate-limit/rate-limit.budget.js';
import type { LimitsDto } from './meta.dto.js';

/** RedisThrottlerStorage's key prefix (its constructor default). */
const PREFIX = 'ratelimit:';

const BUCKETS: readonly RateLimitBucket[] = [
  'itemsRead',
  'itemsWrite',
  'predict',
  'scansCreate',
  'scansRead',
  'wsConnect',
];

/**
 * The caller's configured limits and what is left of each, read from the rate-limit counters
 * without spending them (GET + PTTL, one pipeline). Every bucket counts per credential (with the
 * credential's own overrides), as the limiter counts them.
 * Redis away: the limits without `remaining` (the limiter fails open then too).
 */
export async function callerLimits(
  redis: Redis,
  config: AppConfig,
  principal: Principal,
  ip: string,
): Promise<LimitsDto> {
  const keys = BUCKETS.map(
    (bucket) =>
      PREFIX + rateLimitKey(bucket, trackerOf(principal, ip)),
  );
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.get(key).pttl(key);
  const replies = await pipeline.exec().catch(() => null);
  return {
    windowSeconds: config.rateLimits.windowSeconds,
    buckets: BUCKETS.map((bucket, i) => {
      const limit = rateLimitOf(config, bucket, principal);
      const [hitsError, hits] = replies?.[2 * i] ?? [new Error('no reply')];
      const [ttlError, pttl] = replies?.[2 * i + 1] ?? [new Error('no reply')];
      if (!replies || hitsError || ttlError)
        return { bucket, limit, remaining: null, resetSeconds: null };
      // PTTL is -2 for a missing counter: no window open, the whole limit is left.
      const ttlMs = typeof pttl === 'number' ? pttl : -2;
      return {
        bucket,
        limit,
        remaining: ttlMs > 0 ? Math.max(0, limit - Number(hits ?? 0)) : limit,
        resetSeconds: ttlMs > 0 ? Math.ceil(ttlMs / 1000) : null,
      };
    }),
  };
}
