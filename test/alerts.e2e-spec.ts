import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertDto, AlertPageDto } from '../apps/api/alerts/alerts.dto.js';
import type { WatchDetailDto } from '../apps/api/watches/watches.dto.js';
import { waitFor } from './support/e2e.js';
import { startFakeApns, type FakeApns } from './support/fake-apns.js';
import { useStack } from './support/stack.js';
import { openSocket, type FrameLog } from './support/ws.js';
import {
  bumpWithActive,
  installationToken,
  restoreVersions,
  workerCounter,
} from './support/watches.js';

/**
 * Issue 17's acceptance, end to end with the real api, worker, PostgreSQL, Redis and the local
 * HTTP/2 fake of APNs: two installations watch the same scan; a new data version that moves a
 * symbol into its top 10 gives each exactly one `entered` alert — listed, as an `alert` frame on
 * its WebSocket, and as one push — and the scan ran once (the worker's
 * watch_evaluation_scans_total); a device token answered 410 is dropped and sent nothing after.
 * The version is made as the CLI makes one (no queue): the worker's periodic check finds it.
 */
const device = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

describe('alerts: two installations watching one scan (issue 17 acceptance)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alerts-apns-'));
  let fake: FakeApns;
  // Before the stack's hooks: the worker is started with the fake's settings.
  before(async () => {
    fake = await startFakeApns(dir);
  });
  after(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const stack = useStack({
    api: { RATE_LIMIT_WS_CONNECT: '1000' },
    worker: () => ({ WATCH_CHECK_INTERVAL_MS: '300', ...fake.env }),
  });
  const moved = new Set<string>();
  stack.onTeardown(() => restoreVersions(stack.ds, [...moved]));

  interface Phone {
    token: string;
    device: string;
    watchId: string;
    socket: FrameLog;
  }
  const phones: Phone[] = [];
  stack.onTeardown(() => phones.forEach((p) => p.socket.socket.close()));

  const alertsOf = async (phone: Phone, version: number): Promise<AlertDto[]> =>
    (await stack.call<AlertPageDto>('/v1/alerts', { key: phone.token })).body.data.filter(
      (a) => a.dataVersion === version,
    );
  const framesOf = (phone: Phone, version: number) =>
    (phone.socket.frames as unknown as { type: string; alert?: AlertDto }[]).filter(
      (f) => f.type === 'alert' && f.alert!.dataVersion === version,
    );
  const pushesTo = (phone: Phone) => fake.pushes.filter((p) => p.deviceToken === phone.device);
  const handled = async (version: number) => {
    const [row] = await stack.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM alerts WHERE data_version = $1 AND (push_state IS NULL OR push_state = 'sending')`,
      [version],
    );
    return row!.n === 0;
  };
  /** A new version; resolves once every phone's watch has been evaluated on it and its alerts handled. */
  const bump = async (symbol: string, active: boolean) => {
    moved.add(symbol);
    const version = await bumpWithActive(stack.ds, symbol, active);
    for (const phone of phones)
      await waitFor(
        async () =>
          (
            await stack.call<WatchDetailDto>(`/v1/watches/${phone.watchId}`, {
              key: phone.token,
            })
          ).body.lastDataVersion === version,
        120_000,
        `the evaluation of version ${version}`,
      );
    await waitFor(() => handled(version), 60_000, `the delivery of version ${version}`).catch(
      async (error: Error) => {
        const states = await stack.ds.query(
          'SELECT id, push_state, ws_published_at FROM alerts WHERE data_version = $1',
          [version],
        );
        throw new Error(
          `${error.message}: ${JSON.stringify(states)}; pushes ${fake.pushes.length}, violations ${JSON.stringify(fake.violations)}\nworker:\n${stack.worker.output().slice(-4000)}`,
        );
      },
    );
    return version;
  };

  it('gives each installation exactly one entered alert — listed, over its WebSocket and as a push — from one scan', async () => {
    for (const [i, environment] of (['production', 'sandbox'] as const).entries()) {
      const token = await installationToken(stack, `alerts-${i}`);
      const registered = await stack.call('/v1/installations/me/push', {
        method: 'PUT',
        key: token,
        json: { token: device(i + 1), environment },
      });
      assert.equal(registered.status, 204, JSON.stringify(registered.body));
      const watch = await stack.call<WatchDetailDto>('/v1/watches', {
        method: 'POST',
        key: token,
        json: { name: `Top longs ${i}`, request: { maxSymbols: 25 }, notify: { on: ['enter'] } },
      });
      assert.equal(watch.status, 201, JSON.stringify(watch.body));
      phones.push({
        token,
        device: device(i + 1),
        watchId: watch.body.id,
        socket: await openSocket(stack.wsUrl, token),
      });
    }
    const [a, b] = phones as [Phone, Phone];
    const baseline = async (phone: Phone) =>
      (await stack.call<WatchDetailDto>(`/v1/watches/${phone.watchId}`, { key: phone.token })).body
        .lastResult;
    await waitFor(
      async () => (await baseline(a)) !== null && (await baseline(b)) !== null,
      120_000,
      'both baselines',
    );
    const top10 = (await baseline(a))!;
    assert.deepEqual(await baseline(b), top10, 'the same scan, the same list');
    const scansBefore = await workerCounter(stack.worker.url, 'watch_evaluation_scans_total');

    // The #1 leaves: the #11 moves into the top 10.
    const version = await bump(top10[0]!.symbol, false);
    const scans =
      (await workerCounter(stack.worker.url, 'watch_evaluation_scans_total')) - scansBefore;
    assert.equal(scans, 1, 'one scan for the two watches of the same request');

    const entered = (await alertsOf(a, version))[0]!;
    assert.equal(entered.kind, 'entered');
    assert.ok(!top10.some((r) => r.symbol === entered.symbol), `${entered.symbol} is new`);
    for (const phone of phones) {
      const listed = await alertsOf(phone, version);
      assert.deepEqual(
        listed.map((x) => [x.kind, x.symbol]),
        [['entered', entered.symbol]],
        'exactly one entered alert',
      );
      await phone.socket.until(
        () => framesOf(phone, version).length > 0,
        30_000,
        'the alert frame',
      );
      await phone.socket.roundTrip();
      assert.deepEqual(
        framesOf(phone, version).map((f) => f.alert!.id),
        [listed[0]!.id],
        'exactly one alert frame, the listed alert',
      );
      const pushes = pushesTo(phone);
      assert.equal(pushes.length, 1, 'exactly one push');
      assert.equal(pushes[0]!.status, 200);
      assert.equal(pushes[0]!.headers['apns-collapse-id'], phone.watchId);
      assert.match(pushes[0]!.payload.aps.alert.body, new RegExp(entered.symbol));
    }
    assert.equal(pushesTo(a)[0]!.environment, 'production');
    assert.equal(pushesTo(b)[0]!.environment, 'sandbox');
    assert.deepEqual(fake.violations, []);
  });

  it('drops a device token APNs answers 410, and sends it nothing on the next change', async () => {
    const [a, b] = phones as [Phone, Phone];
    assert.ok(a && b, 'the first test registered both phones');
    const symbol = [...moved][0]!;
    fake.unregister(b.device);

    // The symbol comes back: an entered alert for each; B's push is answered 410.
    const back = await bump(symbol, true);
    assert.equal(pushesTo(b).at(-1)!.status, 410);
    const [tokenRow] = await stack.ds.query<{ apns_token: string | null }[]>(
      `SELECT apns_token FROM installations WHERE apns_token = $1`,
      [b.device],
    );
    assert.equal(tokenRow, undefined, 'the 410-answered token is gone from every installation');
    assert.equal((await alertsOf(b, back)).length, 1, 'the alert itself is still listed');

    // The next change: A is pushed, B's phone is sent nothing (its alert is still listed and framed).
    const sentToB = pushesTo(b).length;
    const sentToA = pushesTo(a).length;
    const next = await bump(symbol, false);
    assert.equal(pushesTo(a).length, sentToA + 1);
    assert.equal(pushesTo(b).length, sentToB, 'nothing sent to the dropped token');
    const listed = await alertsOf(b, next);
    assert.equal(listed.length, 1);
    const [state] = await stack.ds.query<{ push_state: string }[]>(
      'SELECT push_state FROM alerts WHERE id = $1',
      [listed[0]!.id],
    );
    assert.equal(state!.push_state, 'no-token');
    await b.socket.until(() => framesOf(b, next).length === 1, 30_000, 'the alert frame');
  });
});
