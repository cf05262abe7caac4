import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Redis } from 'ioredis';

// Fixed window per key: the first hit starts the window; PTTL is what the caller must wait once
// over the limit. One round trip, atomic, so concurrent api processes share the count exactly.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

const WARN_EVERY_MS = 10_000;

/**
 * Throttler counters in Redis, shared by every api process (nestjs/throttler#2081). When Redis is
 * unreachable it fails open: the request passes and a warning is logged (at most every 10 s),
 * because refusing every request while Redis restarts would turn a cache outage into an outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ratelimit:',
  ) {
    // A defined command is sent as EVALSHA (the script body once per connection, not per request).
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: INCREMENT });
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const redis = this.redis as Redis & {
        rateLimitHit(key: string, ttl: number): Promise<[number, number]>;
      };
      const [hits, pttl] = await redis.rateLimitHit(this.prefix + key, ttl);
      const seconds = Math.max(1, Math.ceil(pttl / 1000));
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked: hits > limit,
        timeToBlockExpire: hits > limit ? seconds : 0,
      };
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(
          { err: error },
          'rate limiter cannot reach Redis: failing open (requests are not limited)',
        );
      }
      return {
        totalHits: 0,
        timeToExpire: Math.ceil(ttl / 1000),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
  }
}
