import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { call, createTestKey, startApp, testConfig, testDataSource, waitFor, type RunningApp } from './support/e2e.js';
import { TcpRelay } from './support/tcp-relay.js';
import { assertProblem, flushRateLimits, removeTestRows, stopWithin } from './support/fixtures.js';

const wellFormedUnknownKey = () => `msk_${randomBytes(6).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

describe('api when PostgreSQL becomes unreachable', () => {
  let ds: DataSource;
  let api: RunningApp;
  let relay: TcpRelay;
  let readKey: string;

  before(async () => {
    ds = await testDataSource();
    readKey = await createTestKey(ds, 'read', 'e2e-db-down');
    const real = new URL(testConfig().databaseUrl);
    relay = new TcpRelay({ host: real.hostname, port: Number(real.port || 5432) });
    await relay.open();
    api = await startApp('api', {
      DATABASE_URL: relay.via(real.toString()),
      DB_ACQUIRE_TIMEOUT_MS: '1000',
      HEALTH_CHECK_TIMEOUT_MS: '1500',
    });
    // Warm the key cache while the database is reachable.
    assert.equal((await call(`${api.url}/v1/items?limit=1`, { key: readKey })).status, 200);
    await relay.cut();
  });

  after(async () => {
    if (api) await stopWithin(api, 10_000);
    await relay?.cut();
    await removeTestRows(ds);
    await flushRateLimits();
    await ds?.destroy();
  });

  it('answers a well-formed but unknown key with 503 problem+json and Retry-After, not 401 or 500', async () => {
    const res = await call(`${api.url}/v1/items`, { key: wellFormedUnknownKey() });
    assertProblem(res, 503);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
    assert.doesNotMatch(JSON.stringify(res.body), /ECONNREFUSED|127\.0\.0\.1|postgres/i, 'no driver details leak');
  });

  it('answers a read with a cached valid key with 503 rather than 500', async () => {
    assertProblem(await call(`${api.url}/v1/items/AAPL`, { key: readKey }), 503);
  });

  it('reports the database down on /health/ready (503) while /health/live stays 200', async () => {
    const ready = await call(`${api.url}/health/ready`);
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { status: 'error', checks: { database: 'down', redis: 'up' } });
    assert.equal((await call(`${api.url}/health/live`)).status, 200);
  });

  it('keeps running and serves again once the database is reachable, without a restart', async () => {
    assert.equal(api.process.exitCode, null, `api exited:\n${api.output()}`);
    await relay.open();
    await waitFor(async () => (await call(`${api.url}/health/ready`)).status === 200, 10_000, 'readiness to recover');
    const res = await call(`${api.url}/v1/items/AAPL`, { key: readKey });
    assert.equal(res.status, 200);
    assert.equal(res.body.symbol, 'AAPL');
  });
});
