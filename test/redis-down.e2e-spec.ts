import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { call, createTestKey, startApp, testDataSource, type RunningApp } from './support/e2e.js';
import { newItem, removeTestRows, stopWithin } from './support/fixtures.js';

/** A port on which nothing listens: the api's Redis clients can never connect. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:6399/15';

describe('api with Redis unreachable', () => {
  let ds: DataSource;
  let api: RunningApp;
  let readKey: string;
  let adminKey: string;

  before(async () => {
    ds = await testDataSource();
    await removeTestRows(ds);
    readKey = await createTestKey(ds, 'read', 'e2e-redis-down-read');
    adminKey = await createTestKey(ds, 'admin', 'e2e-redis-down-admin');
    // Low limits: if the limiter counted anywhere, the requests below would hit them.
    api = await startApp('api', { REDIS_URL: DEAD_REDIS_URL, RATE_LIMIT_ITEMS_WRITE: '1', RATE_LIMIT_ITEMS_READ: '2' });
  });

  after(async () => {
    if (api) await stopWithin(api, 10_000);
    await removeTestRows(ds);
    await ds?.destroy();
  });

  it('answers /health/ready with 503 within 3.5 s: redis down, database up', async () => {
    const started = Date.now();
    const res = await call(`${api.url}/health/ready`);
    const elapsed = Date.now() - started;
    assert.equal(res.status, 503);
    assert.ok(elapsed < 3500, `took ${elapsed} ms`);
    assert.deepEqual(res.body, { status: 'error', checks: { database: 'up', redis: 'down' } });
  });

  it('keeps /health/live at 200: the process itself is fine', async () => {
    const res = await call(`${api.url}/health/live`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('still serves reads with a valid key: the rate limiter fails open', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await call(`${api.url}/v1/items?limit=5`, { key: readKey });
      assert.equal(res.status, 200, `read ${i + 1}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.data.length, 5);
    }
  });

  it('still accepts writes (no 500) and they reach the database', async () => {
    const created = await call(`${api.url}/v1/items`, { method: 'POST', key: adminKey, json: newItem('ZZREDIS') });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const patched = await call(`${api.url}/v1/items/ZZREDIS`, {
      method: 'PATCH',
      key: adminKey,
      json: { name: 'Still writable' },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(await ds.query(`SELECT name FROM items WHERE symbol = 'ZZREDIS'`), [{ name: 'Still writable' }]);
  });

  it('still rejects a request without a key: failing open never skips authentication', async () => {
    const res = await call(`${api.url}/v1/items`);
    assert.equal(res.status, 401);
  });

  it('still exits within 10 s of SIGTERM', async () => {
    const outcome = await stopWithin(api, 10_000);
    assert.ok(outcome.exited, `api still running ${outcome.ms} ms after SIGTERM (killed)`);
  });
});
