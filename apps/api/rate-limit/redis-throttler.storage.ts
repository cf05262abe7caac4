import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { Redis } from 'ioredis';
import { LEASE_END_MARGIN_MS, leaseCeiling, RateLimitLeases } from './rate-limit.leases.js';

// Fixed window per key: the first hit starts the window; PTTL is what the caller must wait once
// over the limit. One round trip, atomic, so concurrent api processes share the count exactly.
// ARGV[3] units more are counted as a lease for the calling process (RateLimitLeases) when the
// count stays at most ARGV[4] (half the limit) and the window lasts ARGV[5] ms more.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local lease = tonumber(ARGV[3] or '0')
if lease > 0 and hits + lease <= tonumber(ARGV[4]) and ttl > tonumber(ARGV[5]) then
  redis.call('INCRBY', KEYS[1], lease)
else
  lease = 0
end
return { hits, ttl, lease }`;

// Gives hits back while the window lasts (a request that turned out to cost nothing). Never
// below zero, and never on an expired key, which would start a window without an expiry.
const REFUND = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
if redis.call('PTTL', KEYS[1]) > 0 and hits > 0 then
  return redis.call('DECRBY', KEYS[1], math.min(hits, tonumber(ARGV[1])))
end
return 0`;

const WARN_EVERY_MS = 10_000;
/** A lease unused this long goes back to Redis (checked this often). */
const LEASE_IDLE_MS = 500;

type LimiterRedis = Redis & {
  rateLimitHit(
    key: string,
    ttl: number,
    units: number,
    lease: number,
    ceiling: number,
    minTtl: number,
  ): Promise<[number, number, number?]>;
  rateLimitRefund(key: string, units: number): Promise<number>;
};

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
 * A credential far from its budget spends units this process counted ahead (RateLimitLeases).
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;
  private readonly queues = new Map<string, HitQueue>();
  private readonly leases: RateLimitLeases;
  private readonly redis: LimiterRedis;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    redis: Redis,
    private readonly prefix = 'ratelimit:',
  ) {
    this.redis = redis as LimiterRedis;
    this.leases = new RateLimitLeases(LEASE_IDLE_MS);
    // A defined command is sent as EVALSHA (the script body once per connection, not per request).
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: INCREMENT });
    redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND });
  }

  /**
   * Its connection is its own (RateLimitStorageModule): closed with the app, not left open, after
   * the leases' unspent units are given back for the other api processes.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all(this.leases.drain().map(([key, units]) => this.refundInRedis(key, units)));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * Gives back `units` hits of `key`: into this process's lease while the budget is far from
   * exhausted, else in Redis. A failure is logged like an increment's, else ignored.
   */
  async refund(key: string, units = 1): Promise<void> {
    if (!this.leases.refund(this.prefix + key, units))
      await this.refundInRedis(this.prefix + key, units);
  }

  /** Hits counted in `key`'s current window, without counting one (0 when Redis is away). */
  async hits(key: string): Promise<number> {
    try {
      const counted = Number((await this.redis.get(this.prefix + key)) ?? 0);
      return Math.max(0, counted - this.unspent(key));
    } catch (error) {
      this.warnUnreachable(error);
      return 0;
    }
  }

  /** Units of `key` this process counted in Redis as a lease and has not spent. */
  unspent(key: string): number {
    return this.leases.unspent(this.prefix + key);
  }

  /** The throttler's call: one hit (its further arguments, block duration and name, are unused). */
  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    return this.incrementBy(key, ttl, limit, 1);
  }

  /**
   * Counts `count` hits at once (a batch); blocked when the window's count passes `limit`.
   *
   * Hits this process's lease on the key covers are admitted at once. The others are coalesced:
   * while a round trip for the key is in flight, the hits that arrive wait and then go together, as
   * one INCRBY of their sum. Each caller is answered as if its hits had been counted alone, in
   * arrival order: the count before the group plus its own and those ahead of it. Every hit is
   * counted in Redis before it is admitted, so the count shared by the api processes never falls
   * below what they admitted; under load, one round trip serves many requests.
   */
  incrementBy(
    key: string,
    ttl: number,
    limit: number,
    count: number,
  ): Promise<ThrottlerStorageRecord> {
    const full = this.prefix + key;
    const leased = this.leases.take(full, limit, count);
    if (leased) return Promise.resolve(leased);
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
    const { ttl, limit } = group[0]!;
    const sentAt = performance.now();
    this.redis
      .rateLimitHit(
        key,
        ttl,
        total,
        this.leases.want(key, limit),
        leaseCeiling(limit),
        2 * LEASE_END_MARGIN_MS,
      )
      .then(
        ([hits, pttl, granted = 0]) => {
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
          this.leases.settle(key, limit, { hits, granted, pttl, sentAt });
          this.sweepIdleLeases();
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

  /** While keys are held: every LEASE_IDLE_MS, idle leases go back to Redis, ended ones are dropped. */
  private sweepIdleLeases(): void {
    this.sweeper ??= setInterval(() => {
      for (const [key, units] of this.leases.sweep()) void this.refundInRedis(key, units);
      if (this.leases.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, LEASE_IDLE_MS).unref();
  }

  private async refundInRedis(key: string, units: number): Promise<void> {
    try {
      await this.redis.rateLimitRefund(key, units);
    } catch (error) {
      this.warnUnreachable(error);
    }
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
