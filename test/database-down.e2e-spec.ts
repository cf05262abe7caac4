import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Health, Item } from './support/api-types.js';
import { testConfig, waitFor } from './support/e2e.js';
import { assertProblem, call } from './support/http.js';
import { useStack } from './support/stack.js';
import { TcpRelay } from './support/tcp-relay.js';

const wellFormedUnknownKey = () =>
  `msk_${randomBytes(6).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

describe('api when PostgreSQL becomes unreachable', () => {
  const real = new URL(testConfig().databaseUrl);
  const relay = new TcpRelay({ host: real.hostname, port: Number(real.port || 5432) });
  before(() => relay.open());
  const stack = useStack({
    // Read when the api starts, after the relay has opened (and chosen its port).
    api: () => ({
      DATABASE_URL: relay.via(real.toString()),
      DB_ACQUIRE_TIMEOUT_MS: '1000',
      HEALTH_CHECK_TIMEOUT_MS: '1500',
    }),
    keys: { read: 'read' },
  });

  before(async () => {
    // Warm the key cache while the database is reachable.
    assert.equal((await stack.call('/v1/items?limit=1', { key: stack.keys.read })).status, 200);
    await relay.cut();
  });

  after(() => relay.cut());

  it('answers a well-formed but unknown key with 503 problem+json and Retry-After, not 401 or 500', async () => {
    const res = await stack.call('/v1/items', { key: wellFormedUnknownKey() });
    assertProblem(res, 503);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
    assert.doesNotMatch(
      JSON.stringify(res.body),
      /ECONNREFUSED|127\.0\.0\.1|postgres/i,
      'no driver details leak',
    );
  });

  it('answers a read with a cached valid key with 503 rather than 500', async () => {
    assertProblem(await stack.call('/v1/items/AAPL', { key: stack.keys.read }), 503);
  });

  it('reports the database down on /health/ready (503) while /health/live stays 200', async () => {
    const ready = await stack.call<Health>('/health/ready');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { status: 'error', checks: { database: 'down', redis: 'up' } });
    assert.equal((await stack.call('/health/live')).status, 200);
  });

  it('keeps running and serves again once the database is reachable, without a restart', async () => {
    const { api } = stack;
    assert.equal(api.process.exitCode, null, `api exited:\n${api.output()}`);
    await relay.open();
    await waitFor(
      async () => (await call(`${api.url}/health/ready`)).status === 200,
      10_000,
      'readiness to recover',
    );
    const res = await stack.call<Item>('/v1/items/AAPL', { key: stack.keys.read });
    assert.equal(res.status, 200);
    assert.equal(res.body.symbol, 'AAPL');
  });
});
