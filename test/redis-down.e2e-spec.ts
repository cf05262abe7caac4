import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Health, Item, ItemPage } from './support/api-types.js';
import { newItem, stopWithin } from './support/fixtures.js';
import { useStack } from './support/stack.js';

/**
 * A port on which nothing listens: the api's Redis clients can never connect. Below the kernel's
 * ephemeral range (32768..), so no free port handed to another process is ever this one.
 */
const DEAD_REDIS_URL = 'redis://127.0.0.1:6399/15';
/** The readiness check's timeout here: the answer may take that long, plus slack for a loaded machine. */
const CHECK_TIMEOUT_MS = 1000;

describe('api with Redis unreachable', () => {
  const stack = useStack({
    api: {
      REDIS_URL: DEAD_REDIS_URL,
      HEALTH_CHECK_TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
      // Low limits: if the limiter counted anywhere, the requests below would hit them.
      RATE_LIMIT_ITEMS_WRITE: '1',
      RATE_LIMIT_ITEMS_READ: '2',
    },
    keys: { read: 'read', admin: 'admin' },
  });
  const { keys } = stack;

  it('answers /health/ready with 503 within 3.5 s: redis down, database up', async () => {
    const started = Date.now();
    const res = await stack.call<Health>('/health/ready');
    const elapsed = Date.now() - started;
    assert.equal(res.status, 503);
    assert.ok(elapsed < CHECK_TIMEOUT_MS + 2500, `took ${elapsed} ms`);
    assert.deepEqual(res.body, { status: 'error', checks: { database: 'up', redis: 'down' } });
  });

  it('keeps /health/live at 200: the process itself is fine', async () => {
    const res = await stack.call<Health>('/health/live');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('still serves reads with a valid key: the rate limiter fails open', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await stack.call<ItemPage>('/v1/items?limit=5', { key: keys.read });
      assert.equal(res.status, 200, `read ${i + 1}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.data.length, 5);
    }
  });

  it('still accepts writes (no 500) and they reach the database', async () => {
    const created = await stack.call<Item>('/v1/items', {
      method: 'POST',
      key: keys.admin,
      json: newItem('ZZREDIS'),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const patched = await stack.call<Item>('/v1/items/ZZREDIS', {
      method: 'PATCH',
      key: keys.admin,
      json: { name: 'Still writable' },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(await stack.ds.query(`SELECT name FROM items WHERE symbol = 'ZZREDIS'`), [
      { name: 'Still writable' },
    ]);
  });

  it('still rejects a request without a key: failing open never skips authentication', async () => {
    const res = await stack.call('/v1/items');
    assert.equal(res.status, 401);
  });

  it('still exits within 10 s of SIGTERM', async () => {
    const outcome = await stopWithin(stack.api, 10_000);
    assert.ok(outcome.exited, `api still running ${outcome.ms} ms after SIGTERM (killed)`);
  });
});
