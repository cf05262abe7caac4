import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { bullConnection, QUEUES } from '#jobs';
import type { AlertPageDto } from '../apps/api/alerts/alerts.dto.js';
import type { WatchDetailDto } from '../apps/api/watches/watches.dto.js';
import { testConfig, waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';
import { bumpWithActive, installationToken, restoreVersions } from './support/watches.js';

/**
 * Watch evaluation against the real worker: a data version made the way the CLI makes one (no
 * queue), so the worker's periodic check finds it. Making a symbol inactive takes it out of every
 * ranking, which moves the 11th into the top 10; making it active again moves it back.
 */
const WORKER = { WATCH_CHECK_INTERVAL_MS: '300' };
const CRASH_WATCHES = 60;

describe('watch evaluation after a new data version', () => {
  const stack = useStack({
    api: { WATCHES_PER_INSTALLATION: String(CRASH_WATCHES), RATE_LIMIT_WATCHES_WRITE: '10000' },
    worker: WORKER,
  });
  const moved = new Set<string>();
  stack.onTeardown(() => restoreVersions(stack.ds, [...moved]));
  stack.onTeardown(async () => {
    const queue = new Queue(QUEUES.alertDelivery, {
      connection: bullConnection(testConfig().redisUrl, 'consumer'),
      prefix: testConfig().queuePrefix,
    });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  });
  const watch = (token: string, id: string) =>
    stack.call<WatchDetailDto>(`/v1/watches/${id}`, { key: token });
  const evaluatedOn = async (token: string, id: string, version: number | null) => {
    const w = (await watch(token, id)).body;
    return version === null ? w.lastDataVersion !== null : w.lastDataVersion === version;
  };

  it('sets a baseline without alerts, then records each entered and exited symbol once per version, and hands them to delivery', async () => {
    const token = await installationToken(stack, 'eval');
    const made = await stack.call<WatchDetailDto>('/v1/watches', {
      method: 'POST',
      key: token,
      json: { name: 'Top longs', request: { maxSymbols: 25 } },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id;
    await waitFor(() => evaluatedOn(token, id, null), 120_000, 'the baseline evaluation');
    const baseline = (await watch(token, id)).body.lastResult!;
    assert.equal(baseline.length, 10);
    assert.deepEqual(
      baseline.map((r) => r.rank),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const alerts = () => stack.call<AlertPageDto>('/v1/alerts', { key: token });
    assert.deepEqual((await alerts()).body.data, [], 'a baseline alerts nothing');

    const top = baseline[0]!.symbol;
    moved.add(top);
    const v1 = await bumpWithActive(stack.ds, top, false);
    await waitFor(() => evaluatedOn(token, id, v1), 120_000, `the evaluation of version ${v1}`);
    const after1 = (await watch(token, id)).body.lastResult!;
    const newcomer = after1.find((r) => !baseline.some((b) => b.symbol === r.symbol))!;
    assert.ok(newcomer, 'a symbol entered the top 10');
    assert.ok(!after1.some((r) => r.symbol === top), `${top} left the top 10`);
    const first = (await alerts()).body.data;
    assert.deepEqual(
      first.map((a) => [a.kind, a.symbol, a.dataVersion]).sort(),
      [
        ['entered', newcomer.symbol, v1],
        ['exited', top, v1],
      ].sort(),
    );
    const exited = first.find((a) => a.kind === 'exited')!;
    assert.deepEqual(exited.before, baseline[0]);
    assert.equal(exited.after, null);
    const entered = first.find((a) => a.kind === 'entered')!;
    assert.equal(entered.before, null);
    assert.deepEqual(entered.after, newcomer);
    assert.equal(entered.watchName, 'Top longs');

    const v2 = await bumpWithActive(stack.ds, top, true);
    await waitFor(() => evaluatedOn(token, id, v2), 120_000, `the evaluation of version ${v2}`);
    assert.deepEqual((await watch(token, id)).body.lastResult, baseline, 'back as it was');

    // Newest first, two per page, by id; the cursor walks to the oldest and stops.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: AlertPageDto } = await stack.call<AlertPageDto>(
        `/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { key: token },
      );
      ids.push(...page.body.data.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(ids.length, 4);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => Number(b) - Number(a)),
      'newest first',
    );
    const latest = (await alerts()).body.data.slice(0, 2);
    assert.deepEqual(
      latest.map((a) => [a.kind, a.symbol, a.dataVersion]).sort(),
      [
        ['entered', top, v2],
        ['exited', newcomer.symbol, v2],
      ].sort(),
    );
    const since = await stack.call<AlertPageDto>(
      `/v1/alerts?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      { key: token },
    );
    assert.deepEqual(since.body.data, []);

    // Every alert went to the alert-delivery queue, in a job named after its version.
    const queue = new Queue(QUEUES.alertDelivery, {
      connection: bullConnection(testConfig().redisUrl, 'consumer'),
      prefix: testConfig().queuePrefix,
    });
    try {
      // Other specs share this queue (the push-delivery spec adds jobs of its own): only the jobs
      // carrying this spec's alerts are looked at.
      const jobs = (
        await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])
      ).filter((j) => (j.data as { alertIds: string[] }).alertIds.some((a) => ids.includes(a)));
      const handed = jobs.flatMap((j) => (j.data as { alertIds: string[] }).alertIds);
      for (const alertId of ids)
        assert.ok(handed.includes(alertId), `alert ${alertId} handed over`);
      assert.ok(
        jobs.every((j) => new RegExp(`^deliver:${j.data.dataVersion}:\\d+-\\d+$`).test(j.id!)),
        `deterministic job ids: ${jobs.map((j) => j.id).join(', ')}`,
      );
    } finally {
      await queue.close();
    }
  });

  it('a worker killed during evaluation: after the retry, exactly one alert per change', async () => {
    const token = await installationToken(stack, 'eval-crash');
    const ids: string[] = [];
    for (let i = 0; i < CRASH_WATCHES; i++) {
      const res = await stack.call<WatchDetailDto>('/v1/watches', {
        method: 'POST',
        key: token,
        // Distinct requests (one scan each), the same top 10: maxSymbols only cuts the ranking.
        json: { name: `w${i}`, request: { maxSymbols: 11 + i } },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.id);
    }
    const atVersion = async (version: number | null) => {
      const [row] = await stack.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM watches WHERE id = ANY($1::uuid[]) AND ${
          version === null ? 'last_data_version IS NOT NULL' : 'last_data_version = $2'
        }`,
        version === null ? [ids] : [ids, version],
      );
      return row!.n;
    };
    await waitFor(async () => (await atVersion(null)) === CRASH_WATCHES, 180_000, 'baselines');
    const baseline = (await watch(token, ids[0]!)).body.lastResult!;
    const top = baseline[0]!.symbol;
    moved.add(top);

    const worker = stack.worker;
    const version = await bumpWithActive(stack.ds, top, false);
    let seenPartial = -1;
    await waitFor(
      async () => {
        const n = await atVersion(version);
        if (n > 0 && n < CRASH_WATCHES) {
          seenPartial = n;
          worker.process.kill('SIGKILL');
          return true;
        }
        assert.ok(n < CRASH_WATCHES, 'the evaluation finished before the poll saw it half done');
        return false;
      },
      120_000,
      'the evaluation to be under way',
    );
    if (worker.process.exitCode === null && worker.process.signalCode === null)
      await once(worker.process, 'exit');
    const partial = await atVersion(version);
    assert.ok(
      partial < CRASH_WATCHES,
      `killed with ${partial} of ${CRASH_WATCHES} done (saw ${seenPartial})`,
    );

    await stack.startApp('worker', WORKER);
    await waitFor(async () => (await atVersion(version)) === CRASH_WATCHES, 180_000, 'the retry');
    const rows = await stack.ds.query<{ watch_id: string; kind: string; symbol: string }[]>(
      'SELECT watch_id, kind, symbol FROM alerts WHERE watch_id = ANY($1::uuid[]) AND data_version = $2',
      [ids, version],
    );
    assert.equal(rows.length, CRASH_WATCHES * 2, 'one entered and one exited per watch');
    for (const id of ids) {
      const own = rows.filter((r) => r.watch_id === id);
      assert.deepEqual(own.map((r) => r.kind).sort(), ['entered', 'exited'], id);
      assert.equal(own.find((r) => r.kind === 'exited')!.symbol, top);
    }
  });
});
