import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/** Just enough of ioredis: the storage defines its script as a command and calls it. */
const fakeRedis = (hit: () => Promise<unknown>) =>
  ({ defineCommand: () => {}, rateLimitHit: hit }) as unknown as Redis;

describe('RedisThrottlerStorage', () => {
  it('blocks once the hits exceed the limit and reports the window rest as Retry-After', async () => {
    const storage = new RedisThrottlerStorage(fakeRedis(async () => [6, 41_200]));
    const record = await storage.increment('k', 60_000, 5);
    assert.equal(record.isBlocked, true);
    assert.equal(record.timeToBlockExpire, 42);
  });

  it('lets requests under the limit through', async () => {
    const storage = new RedisThrottlerStorage(fakeRedis(async () => [5, 1000]));
    assert.equal((await storage.increment('k', 60_000, 5)).isBlocked, false);
  });

  it('fails open when Redis cannot be reached', async () => {
    const storage = new RedisThrottlerStorage(
      fakeRedis(async () => Promise.reject(new Error("Stream isn't writeable"))),
    );
    const record = await storage.increment('k', 60_000, 5);
    assert.equal(record.isBlocked, false);
    assert.equal(record.totalHits, 0);
  });

  it('coalesces the hits of one key that arrive while a round trip is in flight, answering each in arrival order', async () => {
    const calls: [string, number, number][] = [];
    const counts = new Map<string, number>();
    const releases: (() => void)[] = [];
    const redis = {
      defineCommand: () => {},
      rateLimitHit: (key: string, ttl: number, units: number) => {
        calls.push([key, ttl, units]);
        const hits = (counts.get(key) ?? 0) + units;
        counts.set(key, hits);
        return new Promise((resolve) => releases.push(() => resolve([hits, 30_000])));
      },
    } as unknown as Redis;
    const storage = new RedisThrottlerStorage(redis);
    const first = storage.increment('k', 60_000, 4);
    const rest = [
      storage.increment('k', 60_000, 4),
      storage.incrementBy('k', 60_000, 4, 2),
      storage.increment('k', 60_000, 4),
    ];
    const other = storage.increment('other', 60_000, 4);
    // One round trip per key so far: the later hits of `k` wait for the first to return.
    assert.deepEqual(calls, [
      ['ratelimit:k', 60_000, 1],
      ['ratelimit:other', 60_000, 1],
    ]);
    releases.shift()!();
    assert.equal((await first).totalHits, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls[2], ['ratelimit:k', 60_000, 4], 'the waiting hits go as one INCRBY');
    releases.shift()!();
    releases.shift()!();
    const answered = await Promise.all(rest);
    assert.deepEqual(
      answered.map((r) => [r.totalHits, r.isBlocked]),
      [
        [2, false],
        [4, false],
        [5, true],
      ],
    );
    assert.equal(answered[2]!.timeToBlockExpire, 30);
    assert.equal((await other).totalHits, 1, 'another key counts apart');
  });
});
