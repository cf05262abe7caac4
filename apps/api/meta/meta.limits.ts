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
 * Units this api process holds leased (RedisThrottlerStorage) are counted in Redis but not spent:
 * `unspent` gives them, so what remains is what this process has seen (docs/api.md says how a
 * fleet's leases show). Redis away: the limits without `remaining` (the limiter fails open then too).
 */
export async function callerLimits(
  redis: Redis,
  config: AppConfig,
  principal: Principal,
  ip: string,
  unspent: (key: string) => number,
): Promise<LimitsDto> {
  const counters = BUCKETS.map((bucket) => rateLimitKey(bucket, trackerOf(principal, ip)));
  const keys = counters.map((counter) => PREFIX + counter);
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
        remaining:
          ttlMs > 0 ? Math.max(0, limit - (Number(hits ?? 0) - unspent(counters[i]!))) : limit,
        resetSeconds: ttlMs > 0 ? Math.ceil(ttlMs / 1000) : null,
      };
    }),
  };
}
