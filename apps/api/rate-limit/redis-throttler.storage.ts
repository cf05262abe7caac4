import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Redis } from 'ioredis';

// Fixed window per key: the first hit starts the window; PTTL is what the caller must wait once
// over the limit. One round trip, atomic, so concurrent api processes share the count exactly.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

// Gives hits back while the window lasts (a request that turned out to cost nothing). Never
// below zero, and never on an expired key, which would start a window without an expiry.
const REFUND = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
if redis.call('PTTL', KEYS[1]) > 0 and hits > 0 then
  return redis.call('DECRBY', KEYS[1], math.min(hits, tonumber(ARGV[1])))
end
return 0`;

const WARN_EVERY_MS = 10_000;

interface WaitingHit {
  ttl: number;
  limit: number;
  count: number;
  resolve: (record: ThrottlerStorageRecord) => void;
}

/** The hits of one key waiting for the round trip in flight to return. */
interface HitQueue {
  waiting: WaitingHit[];
  sending: boolean;
}

/**
 * Throttler counters in Redis, shared by every api process (nestjs/throttler#2081). When Redis is
 * unreachable it fails open: the request passes and a warning is logged (at most every 10 s),
 * because refusing every request while Redis restarts would turn a cache outage into an outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;
  private readonly queues = new Map<string, HitQueue>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ratelimit:',
  ) {
    // A defined command is sent as EVALSHA (the script body once per connection, not per request).
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: INCREMENT });
    redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND });
  }

  /** Its connection is its own (RateLimitStorageModule): closed with the app, not left open. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Gives back `units` hits of `key`; a failure is logged like an increment's, else ignored. */
  async refund(key: string, units = 1): Promise<void> {
    try {
      const redis = this.redis as Redis & {
        rateLimitRefund(key: string, units: number): Promise<number>;
      };
      await redis.rateLimitRefund(this.prefix + key, units);
    } catch (error) {
      this.warnUnreachable(error);
    }
  }

  /** Hits counted in `key`'s current window, without counting one (0 when Redis is away). */
  async hits(key: string): Promise<number> {
    try {
      return Number((await this.redis.get(this.prefix + key)) ?? 0);
    } catch (error) {
      this.warnUnreachable(error);
      return 0;
    }
  }

  /** The throttler's call: one hit (its further arguments, block duration and name, are unused). */
  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    return this.incrementBy(key, ttl, limit, 1);
  }

  /**
   * Counts `count` hits at once (a batch); blocked when the window's count passes `limit`.
   *
   * Hits of one key are coalesced: while a round trip for the key is in flight, the hits that
   * arrive wait and then go together, as one INCRBY of their sum. Each caller is answered as if
   * its hits had been counted alone, in arrival order: the count before the group plus its own
   * and those ahead of it. Every hit is counted in Redis before it is admitted, so the count
   * shared by the api processes stays exact; under load, one round trip serves many requests.
   */
  incrementBy(
    key: string,
    ttl: number,
    limit: number,
    count: number,
  ): Promise<ThrottlerStorageRecord> {
    const full = this.prefix + key;
    return new Promise((resolve) => {
      let queue = this.queues.get(full);
      if (!queue) {
        queue = { waiting: [], sending: false };
        this.queues.set(full, queue);
      }
      queue.waiting.push({ ttl, limit, count, resolve });
      if (!queue.sending) this.send(full, queue);
    });
  }

  /** One round trip for everything waiting on `key`; then the next group, if one formed meanwhile. */
  private send(key: string, queue: HitQueue): void {
    const group = queue.waiting;
    queue.waiting = [];
    queue.sending = true;
    const total = group.reduce((sum, hit) => sum + hit.count, 0);
    const redis = this.redis as Redis & {
      rateLimitHit(key: string, ttl: number, units: number): Promise<[number, number]>;
    };
    redis
      .rateLimitHit(key, group[0]!.ttl, total)
      .then(
        ([hits, pttl]) => {
          const seconds = Math.max(1, Math.ceil(pttl / 1000));
          let counted = hits - total;
          for (const hit of group) {
            counted += hit.count;
            const blocked = counted > hit.limit;
            hit.resolve({
              totalHits: counted,
              timeToExpire: seconds,
              isBlocked: blocked,
              timeToBlockExpire: blocked ? seconds : 0,
            });
          }
        },
        (error: unknown) => {
          this.warnUnreachable(error);
          for (const hit of group)
            hit.resolve({
              totalHits: 0,
              timeToExpire: Math.ceil(hit.ttl / 1000),
              isBlocked: false,
              timeToBlockExpire: 0,
            });
        },
      )
      .finally(() => {
        queue.sending = false;
        if (queue.waiting.length > 0) this.send(key, queue);
        else this.queues.delete(key);
      });
  }

  private warnUnreachable(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning > WARN_EVERY_MS) {
      this.lastWarning = now;
      this.logger.warn(
        { err: error },
        'rate limiter cannot reach Redis: failing open (requests are not limited)',
      );
    }
  }
}
