import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { bullConnection, JOBS, QUEUES } from '#jobs';
import type { ScanSummaryPage } from './support/api-types.js';
import { testConfig, waitFor } from './support/e2e.js';
import { DEFAULT_SCAN_REQUEST } from './support/fixtures.js';
import { assertProblem } from './support/http.js';
import { useStack, type Stack } from './support/stack.js';

type Keys = 'owner' | 'other' | 'reader';

const keyIdOf = async (stack: Stack<Keys>, handle: Keys): Promise<string> => {
  const [row] = (await stack.ds.query(`SELECT id FROM api_keys WHERE name = $1`, [
    `e2e-${handle}`,
  ])) as { id: string }[];
  return row!.id;
};

/** A request as the api stores it: normalized, every field present (ScanRequest). */
const STORED_REQUEST = DEFAULT_SCAN_REQUEST;

/** A finished run as the worker leaves it, created `ageHours` ago, with `hits` result rows. */
async function insertRun(
  stack: Stack<Keys>,
  run: { owner: string; viewers?: string[]; ageHours: number; status?: string; hits?: number },
): Promise<string> {
  const id = randomUUID();
  const status = run.status ?? 'completed';
  const summary =
    status === 'completed'
      ? {
          statusText: `${run.hits ?? 0} hits`,
          relaxed: false,
          universeSize: 505,
          symbolsScanned: 500,
          skippedInsufficientHistory: 5,
          dataVersion: 1,
          asOf: '2018-02-07',
          metrics: { totalMs: 1, computeMs: 1, symbolsPerSecond: 1, barCacheHit: true },
        }
      : null;
  await stack.ds.query(
    `INSERT INTO scan_runs (id, api_key_id, viewer_key_ids, request_hash, request, data_version, status,
                            summary, error, created_at, completed_at)
     VALUES ($1, $2, $3::uuid[], $4, $5, 1, $6::varchar, $7, $8, now() - $9::float8 * interval '1 hour',
             CASE WHEN $6::varchar IN ('completed', 'failed')
                  THEN now() - $9::float8 * interval '1 hour' END)`,
    [
      id,
      run.owner,
      run.viewers ?? [],
      id.replace(/-/g, '').padEnd(64, '0'),
      JSON.stringify(STORED_REQUEST),
      status,
      summary === null ? null : JSON.stringify(summary),
      status === 'failed' ? 'engine refused' : null,
      run.ageHours,
    ],
  );
  for (let rank = 1; rank <= (run.hits ?? 0); rank++)
    await stack.ds.query(
      `INSERT INTO scan_results (scan_run_id, rank, symbol, tech_rating, signal, hit)
       VALUES ($1, $2, $3, 60, 'Long', '{}')`,
      [id, rank, `S${rank}`],
    );
  return id;
}

describe('GET /v1/scans', () => {
  const stack = useStack<Keys>({
    api: true,
    scans: true,
    keys: { owner: 'read,scan', other: 'read,scan', reader: 'read' },
  });
  const list = (query = '', key = stack.keys.owner) =>
    stack.call<ScanSummaryPage>(`/v1/scans${query}`, { key });
  const ids: string[] = [];
  let shared = '';

  before(async () => {
    const owner = await keyIdOf(stack, 'owner');
    const other = await keyIdOf(stack, 'other');
    // Oldest first: five of the owner's, one of another key that the owner was answered with
    // (a viewer), one the owner never saw.
    for (let age = 10; age >= 6; age--)
      ids.unshift(await insertRun(stack, { owner, ageHours: age, hits: age === 6 ? 3 : 0 }));
    // Newest first, 9.5 hours old sits between the runs of 9 and 10 hours.
    ids.splice(4, 0, await insertRun(stack, { owner, ageHours: 9.5, status: 'failed' }));
    shared = await insertRun(stack, { owner: other, viewers: [owner], ageHours: 1, hits: 2 });
    await insertRun(stack, { owner: other, ageHours: 2 });
  });

  it("lists the key's own and shared scans, newest first, as summaries without hits", async () => {
    const res = await list();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { data, nextCursor } = res.body;
    assert.equal(nextCursor, null);
    assert.deepEqual(
      data.map((s) => s.id),
      [shared, ...ids],
    );
    const newest = data[1]!;
    assert.equal(newest.status, 'completed');
    assert.deepEqual(newest.request, STORED_REQUEST);
    assert.equal(newest.result?.hits, 3);
    assert.equal(newest.result?.universeSize, 505);
    assert.ok(!('results' in newest.result!));
    assert.ok(Date.parse(newest.createdAt) > Date.parse(data[2]!.createdAt));
    const failed = data.find((s) => s.status === 'failed')!;
    assert.equal(failed.result, null);
    assert.equal(failed.error, 'engine refused');
  });

  it('pages with a cursor and filters by status', async () => {
    const all = (await list()).body.data.map((s) => s.id);
    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const page: ScanSummaryPage = (
        await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      ).body;
      assert.ok(page.data.length <= 3);
      seen.push(...page.data.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all);
    const failed = await list('?status=failed');
    assert.equal(failed.body.data.length, 1);
    assert.equal(failed.body.data[0]!.status, 'failed');
  });

  it('shows another key only its own scans, and answers 400/403 where it must', async () => {
    const other = await list('', stack.keys.other);
    assert.equal(other.body.data.length, 2);
    assert.ok(!other.body.data.some((s) => ids.includes(s.id)));
    assertProblem(await list('?status=done'), 400);
    assertProblem(await list('?limit=101'), 400);
    assertProblem(await list('?cursor=bm9wZQ'), 400);
    assertProblem(await list('', stack.keys.reader), 403);
  });
});

describe('scan retention (prune-scans job of the worker)', () => {
  const stack = useStack<Keys>({
    worker: { SCAN_RETENTION_DAYS: '1' },
    scans: true,
    keys: { owner: 'read,scan', other: 'read,scan', reader: 'read' },
  });
  let queue: Queue;

  before(() => {
    queue = new Queue(QUEUES.maintenance, {
      connection: bullConnection(testConfig().redisUrl, 'producer'),
    });
  });
  after(async () => {
    await queue.close();
  });

  it('deletes finished runs older than SCAN_RETENTION_DAYS with their results, and counts them', async () => {
    const owner = await keyIdOf(stack, 'owner');
    const old = await insertRun(stack, { owner, ageHours: 30, hits: 4 });
    const oldFailed = await insertRun(stack, { owner, ageHours: 50, status: 'failed' });
    const oldQueued = await insertRun(stack, { owner, ageHours: 30, status: 'queued' });
    const recent = await insertRun(stack, { owner, ageHours: 20, hits: 2 });
    const exists = async (id: string) =>
      ((await stack.ds.query('SELECT 1 FROM scan_runs WHERE id = $1', [id])) as unknown[]).length >
      0;

    await queue.add(JOBS.pruneScans, { v: 1, requestId: 'e2e-retention' });
    await waitFor(async () => !(await exists(old)), 20_000, 'the old run to be deleted');

    assert.equal(await exists(oldFailed), false);
    assert.equal(await exists(recent), true);
    assert.equal(await exists(oldQueued), true, 'a run still queued is left to finish');
    const [results] = (await stack.ds.query(
      'SELECT count(*)::int AS n FROM scan_results WHERE scan_run_id = ANY($1::uuid[])',
      [[old, recent]],
    )) as { n: number }[];
    assert.equal(results!.n, 2, "only the recent run's results are left");
    const metrics = await (await fetch(`${stack.worker.url}/metrics`)).text();
    assert.match(metrics, /^scan_retention_deleted_runs_total\{app="worker"\} 2$/m);
  });
});
