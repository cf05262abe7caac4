import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { bullConnection, QUEUES } from '#jobs';
import type { Scan } from './support/api-types.js';
import { testConfig } from './support/e2e.js';
import { assertProblem, call } from './support/http.js';
import { useStack } from './support/stack.js';

const SCANS_PER_WINDOW = 5;

/** No worker runs here: every new scan stays queued, as when the workers are paused or down. */
describe('limits by cost (no worker)', () => {
  const stack = useStack({
    api: { RATE_LIMIT_SCANS_CREATE: String(SCANS_PER_WINDOW) },
    scans: true,
    keys: { scanner: 'read,scan', other: 'read,scan' },
  });
  // The jobs this spec leaves queued must not reach a later spec's worker.
  stack.onTeardown(async () => {
    const queue = new Queue(QUEUES.scan, {
      connection: bullConnection(testConfig().redisUrl, 'consumer'),
    });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  });
  const scan = (key: string, body: Record<string, unknown>) =>
    stack.call<Scan>('/v1/scans', { method: 'POST', key, json: body });

  it('queues 3 distinct scans of one credential and answers the 4th with 429 and Retry-After; another credential still starts one', async () => {
    const { scanner, other } = stack.keys;
    for (const n of [1, 2, 3]) {
      const res = await scan(scanner, { maxSymbols: 200 + n });
      assert.equal(res.status, 202, JSON.stringify(res.body));
    }
    const fourth = await scan(scanner, { maxSymbols: 204 });
    assertProblem(fourth, 429);
    assert.match(fourth.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(fourth.body.detail, /queued or running/);
    // That refusal spent nothing: 3 of 5 units are used, so 2 more refusals and one join still pass
    // the budget, and joining a scan in flight is allowed at the cap.
    for (let i = 0; i < SCANS_PER_WINDOW; i++)
      assertProblem(await scan(scanner, { maxSymbols: 999 }), 400);
    assert.equal((await scan(scanner, { maxSymbols: 201 })).status, 202);
    assert.equal((await scan(other, { maxSymbols: 204 })).status, 202);
  });

  it('refuses a new scan with 503 and Retry-After once the queue backlog reaches its bound, stores nothing for it, and still lets an identical scan join', async () => {
    const queue = new Queue(QUEUES.scan, {
      connection: bullConnection(testConfig().redisUrl, 'consumer'),
    });
    const counts = await queue.getJobCounts('waiting', 'prioritized').finally(() => queue.close());
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    const env = { SCAN_QUEUE_BACKLOG_LIMIT: String(waiting + 1) };
    await stack.withApp('api', env, async (bounded) => {
      const key = await stack.createKey('read,scan', 'backlog');
      const post = (body: Record<string, unknown>) =>
        call<Scan>(`${bounded.url}/v1/scans`, { method: 'POST', key, json: body });
      const first = await post({ maxSymbols: 301 });
      assert.equal(first.status, 202, JSON.stringify(first.body));

      const refused = await post({ maxSymbols: 302 });
      assertProblem(refused, 503);
      assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.match(refused.body.detail, /scan queue holds \d+ scans waiting/);
      const runs = (await stack.ds.query(
        `SELECT r.request FROM scan_runs r JOIN api_keys k ON k.id = r.api_key_id
         WHERE k.name = 'e2e-backlog'`,
      )) as { request: { maxSymbols: number } }[];
      assert.deepEqual(
        runs.map((r) => r.request.maxSymbols),
        [301],
        'the refused scan left no run behind',
      );

      const joined = await post({ maxSymbols: 301 });
      assert.equal(joined.status, 202);
      assert.equal(joined.body.id, first.body.id);
    });
  });

  it('holds the in-flight cap exactly when one credential sends 10 distinct scans at once', async () => {
    await stack.withApp('api', { RATE_LIMIT_SCANS_CREATE: '100' }, async (api) => {
      const key = await stack.createKey('read,scan', 'burst');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call<Scan>(`${api.url}/v1/scans`, {
            method: 'POST',
            key,
            json: { maxSymbols: 400 + i },
          }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [202, 202, 202, 429, 429, 429, 429, 429, 429, 429]);
    });
  });
});
