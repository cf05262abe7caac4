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
});
