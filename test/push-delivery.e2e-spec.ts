import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, JOBS, QUEUES } from '#jobs';
import type { AlertView } from '#redis';
import {
  frameViolation,
  loadAsyncApi,
  type AsyncApiContract,
} from './support/asyncapi-contract.js';
import { cli } from './support/cli.js';
import { testConfig, waitFor, type RunningApp } from './support/e2e.js';
import { startFakeApns, type FakeApns } from './support/fake-apns.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';
import { openSocket, type FrameLog } from './support/ws.js';

/** Beyond every real data version: the watch evaluation never takes these watches for stale. */
const FENCED = 1_000_000;
const DAILY_CAP = 4;
const device = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const alertsOf = (log: FrameLog) =>
  (log.frames as unknown as { type: string; alert: AlertView }[]).filter((f) => f.type === 'alert');

describe('alert delivery: WebSocket frames and APNs pushes (fake APNs, two api processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'push-delivery-'));
  let fake: FakeApns;
  // Registered before the stack's hooks, so the worker starts pointed at a running fake.
  before(async () => {
    fake = await startFakeApns(dir);
  });
  const stack = useStack({
    api: true,
    worker: () => ({
      ...fake.env,
      APNS_DAILY_CAP: String(DAILY_CAP),
      APNS_RETRY_BASE_MS: '20',
      WATCH_CHECK_INTERVAL_MS: '3600000',
    }),
    keys: { admin: 'admin' },
  });
  let queue: Queue;
  let redis: Redis;
  let contract: AsyncApiContract;
  let secondApi: RunningApp;
  const installations: Record<'a' | 'b', { id: string; token: string }> = {} as never;
  const watches: Record<'a1' | 'a2' | 'b1', string> = {} as never;
  let version = FENCED;
  let job = 0;

  const capKeys = async () => redis.keys(`${testConfig().queuePrefix}:apns-pushes:*`);
  before(async () => {
    const config = testConfig();
    redis = new Redis(config.redisUrl);
    const stale = await capKeys();
    if (stale.length) await redis.del(...stale);
    queue = new Queue(QUEUES.alertDelivery, {
      // No command timeout: the machine may be busy, and a test has no request to answer in time.
      connection: bullConnection(config.redisUrl, 'consumer'),
      prefix: config.queuePrefix,
    });
    contract = await loadAsyncApi();
    const app = await cli(
      'keys',
      'create',
      '--name',
      'e2e-push-app',
      '--scopes',
      'install',
      '--grants',
      'read,scan',
    );
    assert.equal(app.code, 0, app.stderr);
    for (const name of ['a', 'b'] as const) {
      const res = await stack.call<{ installationId: string; token: string }>('/v1/installations', {
        method: 'POST',
        key: app.stdout.trim(),
      });
      assert.equal(res.status, 201);
      installations[name] = { id: res.body.installationId, token: res.body.token };
    }
    for (const [handle, owner] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
    ] as const) {
      const [row] = (await stack.ds.query(
        `INSERT INTO watches (installation_id, name, request, request_hash, notify, last_data_version)
         VALUES ($1, $2, '{}', repeat('0', 64), '{"topN":10,"on":["enter","exit","signalChange"]}', $3)
         RETURNING id`,
        [installations[owner].id, `watch ${handle}`, FENCED * 10],
      )) as { id: string }[];
      watches[handle] = row!.id;
    }
    secondApi = await stack.startApp('api');
  });
  after(async () => {
    // The fake first: an open HTTP/2 server would keep this process alive whatever fails below.
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
    await queue?.close();
    if (redis) {
      const keys = await capKeys();
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  const putPush = (key: string, body: unknown) =>
    stack.call('/v1/installations/me/push', { method: 'PUT', key, json: body });

  /** Records alerts of a new data version for `watch` and hands them to delivery, like the evaluation does. */
  const deliver = async (entries: [keyof typeof watches, string][], ids?: string[]) => {
    version += 1;
    const alertIds = ids ?? [];
    if (!ids)
      for (const [watch, symbol] of entries) {
        const owner = watch.startsWith('a') ? installations.a : installations.b;
        const [row] = (await stack.ds.query(
          `INSERT INTO alerts (watch_id, installation_id, data_version, kind, symbol, before, after)
           VALUES ($1, $2, $3, 'entered', $4, NULL, $5) RETURNING id::text AS id`,
          [
            watches[watch],
            owner.id,
            version,
            symbol,
            { symbol, rank: 3, signal: 'Long', techRating: 66.5 },
          ],
        )) as { id: string }[];
        alertIds.push(row!.id);
      }
    const added = await queue.add(
      JOBS.deliverAlerts,
      { dataVersion: version, alertIds },
      { jobId: `e2e-deliver-${process.pid}-${++job}` },
    );
    await waitFor(
      async () => (await added.isCompleted()) || (await added.isFailed()),
      20_000,
      'the delivery job',
    );
    const done = await queue.getJob(added.id!);
    assert.ok(
      await added.isCompleted(),
      `${done?.failedReason}\n${stack.worker.output().slice(-3000)}`,
    );
    return alertIds;
  };
  const states = async (ids: string[]) =>
    (
      (await stack.ds.query(
        `SELECT push_state AS state, ws_published_at IS NOT NULL AS published FROM alerts WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [ids],
      )) as { state: string; published: boolean }[]
    ).map((row) => `${row.state}${row.published ? '+ws' : ''}`);
  const tokenOf = async (installationId: string) =>
    (
      (await stack.ds.query(`SELECT apns_token AS token FROM installations WHERE id = $1`, [
        installationId,
      ])) as { token: string | null }[]
    )[0]!.token;

  it('PUT /v1/installations/me/push validates its body (400 problem+json) and refuses an API key (403)', async () => {
    const bad = await putPush(installations.a.token, {
      token: 'not-hex',
      environment: 'production',
    });
    assertProblem(bad, 400);
    assert.ok(bad.body.errors?.some((e) => e.field === 'token'));
    assertProblem(
      await putPush(installations.a.token, { token: device(1), environment: 'staging' }),
      400,
    );
    assertProblem(
      await putPush(installations.a.token, { token: device(1).slice(1), environment: 'sandbox' }),
      400,
    );
    assertProblem(
      await putPush(installations.a.token, {
        token: device(1),
        environment: 'production',
        extra: 1,
      }),
      400,
    );
    assertProblem(
      await putPush(stack.keys.admin, { token: device(1), environment: 'production' }),
      403,
    );
    const ok = await putPush(installations.a.token, {
      token: device(0xa1).toUpperCase(),
      environment: 'production',
    });
    assert.equal(ok.status, 204);
    assert.equal(await tokenOf(installations.a.id), device(0xa1), 'stored lower-case');
    assert.equal(
      (await putPush(installations.b.token, { token: device(0xb1), environment: 'sandbox' }))
        .status,
      204,
    );
  });

  it("sends each alert as an alert frame to that installation's sockets only, on both api processes, and pushes one notification per watch", async () => {
    const a1 = await openSocket(stack.wsUrl, installations.a.token);
    const a2 = await openSocket(
      `${secondApi.url.replace('http', 'ws')}/v1/ws`,
      installations.a.token,
    );
    const b = await openSocket(stack.wsUrl, installations.b.token);
    const key = await openSocket(stack.wsUrl, stack.keys.admin);
    try {
      const pushed = fake.pushes.length;
      const ids = await deliver([
        ['a1', 'NVDA'],
        ['a1', 'AMD'],
        ['a2', 'MSFT'],
        ['b1', 'AAPL'],
      ]);
      await a1.until(() => alertsOf(a1).length === 3, 10_000, '3 alert frames on api 1');
      await a2.until(() => alertsOf(a2).length === 3, 10_000, '3 alert frames on api 2');
      await b.until(() => alertsOf(b).length === 1, 10_000, "b's alert frame");
      for (const log of [a1, a2, b, key]) await log.roundTrip();
      assert.equal(alertsOf(key).length, 0, 'an API key socket gets no alerts');
      assert.equal(alertsOf(b).length, 1);
      assert.deepEqual(
        alertsOf(a1)
          .map((f) => f.alert.symbol)
          .sort(),
        ['AMD', 'MSFT', 'NVDA'],
      );
      assert.deepEqual(alertsOf(b)[0]!.alert, {
        ...alertsOf(b)[0]!.alert,
        watchId: watches.b1,
        watchName: 'watch b1',
        kind: 'entered',
        symbol: 'AAPL',
        before: null,
        after: { symbol: 'AAPL', rank: 3, signal: 'Long', techRating: 66.5 },
      });
      for (const frame of [...alertsOf(a1), ...alertsOf(b)])
        assert.equal(frameViolation(contract, frame), null);

      await waitFor(() => fake.pushes.length >= pushed + 3, 10_000, 'three pushes');
      const sent = fake.pushes.slice(pushed);
      assert.equal(sent.length, 3, 'one push per watch: a1 (2 alerts), a2, b1');
      const byWatch = new Map(sent.map((p) => [p.headers['apns-collapse-id'], p]));
      assert.deepEqual(byWatch.get(watches.a1)!.payload['alertIds'], ids.slice(0, 2));
      assert.equal(byWatch.get(watches.a1)!.deviceToken, device(0xa1));
      assert.equal(byWatch.get(watches.a1)!.environment, 'production');
      assert.equal(byWatch.get(watches.b1)!.environment, 'sandbox');
      assert.equal(byWatch.get(watches.a1)!.payload.aps.alert.title, 'watch a1');
      assert.deepEqual(fake.violations, []);
      assert.deepEqual(await states(ids), ['sent+ws', 'sent+ws', 'sent+ws', 'sent+ws']);

      // The same alerts handed over again (a retried or duplicated job): nothing is sent twice.
      await deliver([], ids);
      for (const log of [a1, a2, b]) await log.roundTrip();
      assert.equal(alertsOf(a1).length, 3);
      assert.equal(alertsOf(b).length, 1);
      assert.equal(fake.pushes.length, pushed + 3);
    } finally {
      for (const log of [a1, a2, b, key]) log.socket.close();
    }
  });

  it('retries 429 and 500 from APNs and then delivers once', async () => {
    fake.cue(device(0xb1), { status: 429, retryAfterSeconds: 1 }, { status: 500 });
    const before = fake.pushes.length;
    const ids = await deliver([['b1', 'TSLA']]);
    const attempts = fake.pushes.slice(before);
    assert.deepEqual(
      attempts.map((p) => p.status),
      [429, 500, 200],
    );
    assert.deepEqual(await states(ids), ['sent+ws']);
  });

  it('counts a 400 BadDeviceToken as dead: the token is dropped', async () => {
    assert.equal(
      (await putPush(installations.b.token, { token: device(0xb2), environment: 'sandbox' }))
        .status,
      204,
    );
    fake.cue(device(0xb2), { status: 400, reason: 'BadDeviceToken' });
    const ids = await deliver([['b1', 'ORCL']]);
    assert.deepEqual(await states(ids), ['rejected+ws']);
    assert.equal(await tokenOf(installations.b.id), null);
  });

  it('drops a token APNs answers 410 Unregistered, and the next change sends it nothing', async () => {
    fake.unregister(device(0xa1));
    const ids = await deliver([['a1', 'INTC']]);
    assert.deepEqual(await states(ids), ['rejected+ws']);
    assert.equal(await tokenOf(installations.a.id), null);
    const before = fake.pushes.length;
    const next = await deliver([['a1', 'QCOM']]);
    assert.deepEqual(await states(next), ['no-token+ws']);
    assert.equal(fake.pushes.length, before, 'nothing sent to the dead token');
  });

  it(`pushes at most APNS_DAILY_CAP (${DAILY_CAP}) notifications per installation per day`, async () => {
    assert.equal(
      (await putPush(installations.a.token, { token: device(0xa3), environment: 'production' }))
        .status,
      204,
    );
    const before = fake.pushes.filter((p) => p.deviceToken === device(0xa3)).length;
    // Installation a had 2 pushes today (a1, a2) before its token died; 2 more fit.
    const ids: string[] = [];
    for (const symbol of ['CSCO', 'ADBE', 'CRM']) ids.push(...(await deliver([['a2', symbol]])));
    assert.deepEqual(await states(ids), ['sent+ws', 'sent+ws', 'capped+ws']);
    assert.equal(fake.pushes.filter((p) => p.deviceToken === device(0xa3)).length, before + 2);
  });

  it('DELETE /v1/installations/me/push forgets the token', async () => {
    const res = await stack.call('/v1/installations/me/push', {
      method: 'DELETE',
      key: installations.a.token,
    });
    assert.equal(res.status, 204);
    assert.equal(await tokenOf(installations.a.id), null);
  });
});
