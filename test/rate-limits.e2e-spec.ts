import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import type { RunningApp } from './support/e2e.js';
import { assertProblem, call } from './support/http.js';
import { useStack } from './support/stack.js';

const WRITE_LIMIT = 5;
// Large enough for leases (200 / 32 = 6 units per round trip while the count is at most 100).
const READ_LIMIT = 200;

describe('rate limits', () => {
  const env = {
    RATE_LIMIT_ITEMS_WRITE: String(WRITE_LIMIT),
    RATE_LIMIT_ITEMS_READ: String(READ_LIMIT),
  };
  const stack = useStack({ api: env });
  let apiA: RunningApp;
  let apiB: RunningApp;
  let keySeq = 0;

  const newAdminKey = () => stack.createKey('admin', `rl-${++keySeq}`);
  /** One write against the items-write budget: PATCH of a test item. */
  const write = (api: RunningApp, key: string, headers: Record<string, string> = {}) =>
    call(`${api.url}/v1/items/ZZRL`, {
      method: 'PATCH',
      key,
      headers,
      json: { name: `Rate limit ${Date.now()}` },
    });
  const intHeader = (headers: Headers, name: string): number => {
    const value = headers.get(name);
    assert.match(value ?? '', /^\d+$/, `${name} should be an integer, got ${value}`);
    return Number(value);
  };

  before(async () => {
    await stack.ds.query(
      `INSERT INTO items (symbol, name, sector) VALUES ('ZZRL', 'Rate limit', 'Utilities')`,
    );
    apiA = stack.api;
    apiB = await stack.startApp('api', env);
  });

  it('allows 5 writes, then answers the 6th with a 429 problem carrying Retry-After and X-RateLimit headers', async () => {
    const key = await newAdminKey();
    for (let i = 1; i <= WRITE_LIMIT; i++) {
      const res = await write(apiA, key);
      assert.equal(res.status, 200, `write ${i}: ${JSON.stringify(res.body)}`);
      assert.equal(intHeader(res.headers, 'x-ratelimit-limit'), WRITE_LIMIT);
      assert.equal(intHeader(res.headers, 'x-ratelimit-remaining'), WRITE_LIMIT - i);
    }
    const limited = await write(apiA, key);
    assertProblem(limited, 429);
    const retryAfter = intHeader(limited.headers, 'retry-after');
    assert.ok(
      retryAfter >= 1 && retryAfter <= 60,
      `Retry-After ${retryAfter} within the 60 s window`,
    );
    assert.equal(intHeader(limited.headers, 'x-ratelimit-limit'), WRITE_LIMIT);
    assert.equal(intHeader(limited.headers, 'x-ratelimit-remaining'), 0);
    const reset = intHeader(limited.headers, 'x-ratelimit-reset');
    assert.ok(reset >= 1 && reset <= 60);

    // The exhausted key still reads: reads have their own budget.
    const read = await call(`${apiA.url}/v1/items/AAPL`, { key });
    assert.equal(read.status, 200);
    assert.equal(intHeader(read.headers, 'x-ratelimit-limit'), READ_LIMIT);
    assert.equal(intHeader(read.headers, 'x-ratelimit-remaining'), READ_LIMIT - 1);
  });

  it('gives a different key its own write budget', async () => {
    const exhausted = await newAdminKey();
    for (let i = 0; i <= WRITE_LIMIT; i++) await write(apiA, exhausted);
    assert.equal((await write(apiA, exhausted)).status, 429);

    const other = await newAdminKey();
    const res = await write(apiA, other);
    assert.equal(res.status, 200);
    assert.equal(intHeader(res.headers, 'x-ratelimit-remaining'), WRITE_LIMIT - 1);
  });

  it('never limits /health/live, /health/ready or /metrics, even after 50 calls each', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      const statuses = new Set<number>();
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${apiA.url}${path}`);
        await res.arrayBuffer();
        statuses.add(res.status);
        assert.equal(
          res.headers.get('x-ratelimit-limit'),
          null,
          `${path} carries no rate-limit headers`,
        );
      }
      assert.deepEqual([...statuses], [200], `${path} statuses`);
    }
  });

  it('shares one budget between two api processes: alternating writes allow exactly 5', async () => {
    const key = await newAdminKey();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await write(i % 2 === 0 ? apiA : apiB, key)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it('counts concurrent writes on two processes atomically: a burst of 12 lets exactly 5 through', async () => {
    const key = await newAdminKey();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => write(i % 2 === 0 ? apiA : apiB, key)),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, WRITE_LIMIT, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 12 - WRITE_LIMIT, statuses.join(','));
  });

  it('keeps a leased budget exact across two api processes: alternating reads admit exactly 200, then 429', async () => {
    const key = await newAdminKey();
    const statuses: number[] = [];
    for (let i = 0; i < READ_LIMIT + 6; i++) {
      const res = await call(`${(i % 2 === 0 ? apiA : apiB).url}/v1/items/AAPL`, { key });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [...Array(READ_LIMIT).fill(200), ...Array(6).fill(429)]);
  });

  it('does not reset the per-key counter when X-Forwarded-For changes on every request', async () => {
    const key = await newAdminKey();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await write(apiA, key, { 'X-Forwarded-For': `203.0.113.${i + 1}, 198.51.100.${i + 7}` }))
          .status,
      );
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it('lets the next write through once the Retry-After of a 2 s window has passed', async () => {
    await stack.withApp(
      'api',
      { RATE_LIMIT_ITEMS_WRITE: String(WRITE_LIMIT), RATE_LIMIT_WINDOW_SECONDS: '2' },
      async (short) => {
        const key = await newAdminKey();
        // At once: one after the other, on a loaded machine, the writes could outlast the 2 s window.
        const burst = await Promise.all(
          Array.from({ length: WRITE_LIMIT + 1 }, () => write(short, key)),
        );
        const limitedAt = Date.now();
        const statuses = burst.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...Array(WRITE_LIMIT).fill(200), 429]);
        const limited = burst.find((r) => r.status === 429)!;
        const retryAfter = intHeader(limited.headers, 'retry-after');
        assert.ok(
          retryAfter >= 1 && retryAfter <= 2,
          `Retry-After ${retryAfter} is within the 2 s window`,
        );

        // The wait is the one the server asked for: the claim under test is that it is enough (and
        // Retry-After rounds up, so the window has expired by then however slow this machine is).
        await sleep(retryAfter * 1000 - (Date.now() - limitedAt));
        const passed = await write(short, key);
        assert.equal(
          passed.status,
          200,
          `a write ${Date.now() - limitedAt} ms after a Retry-After of ${retryAfter} s`,
        );
        assert.equal(
          intHeader(passed.headers, 'x-ratelimit-remaining'),
          WRITE_LIMIT - 1,
          'a fresh window starts',
        );
      },
    );
  });
});
