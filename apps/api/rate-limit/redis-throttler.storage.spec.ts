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

  it('admits a credential far from its budget from a lease, and two processes sharing one Redis admit exactly the limit', async () => {
    const redis = windowRedis();
    const [a, b] = [
      new RedisThrottlerStorage(redis.client),
      new RedisThrottlerStorage(redis.client),
    ];
    const LIMIT = 200;
    const admitted: boolean[] = [];
    let firstHalfCalls = 0;
    for (let i = 0; i < LIMIT + 20; i++) {
      const record = await (i % 2 === 0 ? a : b).increment('k', 60_000, LIMIT);
      admitted.push(!record.isBlocked);
      if (i === LIMIT / 2 - 1) firstHalfCalls = redis.calls;
    }
    assert.deepEqual(admitted, [...Array(LIMIT).fill(true), ...Array(20).fill(false)]);
    // Leases of 6 (200 / 32) from each process's second round trip while the count is at most
    // 100; past it, one round trip per hit.
    assert.ok(firstHalfCalls <= 18, `${firstHalfCalls} round trips for the first 100 hits`);
    assert.equal(
      redis.calls - firstHalfCalls,
      LIMIT / 2 + 20,
      'near the limit, every hit asks Redis',
    );
    await Promise.all([a.onApplicationShutdown(), b.onApplicationShutdown()]);
  });

  it("counts every hit of a small budget in Redis, and gives back a stopping process's unspent lease", async () => {
    const redis = windowRedis();
    const small = new RedisThrottlerStorage(redis.client);
    for (let i = 0; i < 3; i++) await small.increment('s', 60_000, 10);
    assert.equal(redis.calls, 3);

    const storage = new RedisThrottlerStorage(redis.client);
    await storage.increment('big', 60_000, 6400);
    assert.equal(redis.count('big'), 1, 'a first request leases nothing');
    await storage.increment('big', 60_000, 6400);
    assert.equal(redis.count('big'), 202, 'the next one, soon after: a hit and a lease of 200');
    assert.equal(await storage.hits('big'), 2, 'the unspent lease is not reported as hits');
    await storage.refund('big');
    assert.equal(redis.count('big'), 202, 'a refund far from the limit stays in the lease');
    await storage.onApplicationShutdown();
    assert.equal(redis.count('big'), 1, 'the unspent units went back at shutdown');
  });
});

/** The limiter's two scripts over an in-memory count per key (windows never end here). */
function windowRedis() {
  const counts = new Map<string, number>();
  let calls = 0;
  const client = {
    defineCommand: () => {},
    rateLimitHit: async (
      key: string,
      ttl: number,
      units: number,
      lease: number,
      ceiling: number,
    ) => {
      calls++;
      const hits = (counts.get(key) ?? 0) + units;
      const granted = lease > 0 && hits + lease <= ceiling ? lease : 0;
      counts.set(key, hits + granted);
      return [hits, ttl, granted];
    },
    rateLimitRefund: async (key: string, units: number) => {
      calls++;
      counts.set(key, Math.max(0, (counts.get(key) ?? 0) - units));
    },
    get: async (key: string) => String(counts.get(key) ?? 0),
    quit: async () => {},
  } as unknown as Redis;
  return {
    client,
    get calls() {
      return calls;
    },
    count: (key: string) => counts.get(`ratelimit:${key}`) ?? 0,
  };
}
