import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ServerFrame } from '../support/api-types.js';
import { uniqueScan, type Fleet } from './support/fleet.js';

const scanIdOf = (f: ServerFrame): string | undefined =>
  'scanId' in f ? f.scanId : 'scan' in f ? f.scan.id : undefined;
const isTerminal = (f: ServerFrame) => f.type === 'completed' || f.type === 'failed';

/** Issue 14, item 1: what the api hosts share through Redis — the scan stream and the limits. */
export function streamTests(fleet: Fleet, figures: Map<string, string>): void {
  it(
    'streams a scan started through api host A to a WebSocket held on api host B',
    { timeout: 120_000 },
    async (t) => {
      const [a, b] = fleet.apis as [Fleet['apis'][0], Fleet['apis'][0]];
      const ws = await fleet.socket(b);
      try {
        const started = performance.now();
        const res = await fleet.direct(a, '/v1/scans', { method: 'POST', body: uniqueScan() });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        const id = res.body.id as string;
        ws.send({ type: 'subscribe', scanId: id });
        const seen: { at: number; frame: ServerFrame }[] = [];
        ws.socket.on('message', () => {
          const frame = ws.frames.at(-1)!;
          if (scanIdOf(frame) === id) seen.push({ at: performance.now() - started, frame });
        });
        await ws.until((frames) => frames.some((f) => scanIdOf(f) === id && isTerminal(f)), 60_000, `the scan's terminal frame on ${b.name}`); // prettier-ignore
        await ws.roundTrip(); // anything else sent for it has arrived now
        const progress = seen.filter((s) => s.frame.type === 'progress');
        const terminal = seen.filter((s) => isTerminal(s.frame));
        assert.ok(progress.length > 0, `progress frames reached ${b.name} (${seen.length} frames)`);
        assert.deepEqual(terminal.map((s) => s.frame.type), ['completed']); // prettier-ignore
        const stored = await fleet.direct(a, `/v1/scans/${id}`);
        assert.equal(stored.status, 200);
        const streamed = terminal[0]!.frame as Extract<ServerFrame, { type: 'completed' }>;
        assert.deepEqual(streamed.scan.result, stored.body.result, 'B streamed what A stores');
        const { host: runner } = await fleet.runnerOf(id);
        const line =
          `POST on ${a.hostname}, ran on ${runner.hostname}, ${progress.length} progress frames on ` +
          `${b.hostname} (first ${progress[0]!.at.toFixed(0)} ms after the POST), completed at ` +
          `${terminal[0]!.at.toFixed(0)} ms, 1 terminal frame`;
        t.diagnostic(line);
        figures.set('stream across api hosts', line);
      } finally {
        ws.socket.close();
      }
    },
  );

  it(
    "holds a key's rate limit and each installation's budget across the two api hosts",
    { timeout: 120_000 },
    async (t) => {
      const LIMIT = 12;
      const REGISTRATIONS = 3;
      /** GET /v1/items from `key`, `count` times, alternating api host A and B; the statuses. */
      const alternate = async (key: string, count: number) => {
        const statuses: number[] = [];
        for (let i = 0; i < count; i++) {
          const res = await fleet.direct(fleet.apis[i % 2]!, '/v1/items?limit=1', { key });
          statuses.push(res.status);
        }
        return statuses;
      };
      const expected = (ok: number, code: number, total: number) =>
        Array.from({ length: total }, (_, i) => (i < ok ? code : 429));

      const key = await fleet.createKey('fleet-limited', ['--scopes', 'read', '--limit', `itemsRead=${LIMIT}`]); // prettier-ignore
      assert.deepEqual(await alternate(key, LIMIT + 3), expected(LIMIT, 200, LIMIT + 3), 'a key');

      // An app key whose installations inherit its items-read limit; it may register 3 of them.
      const app = await fleet.createKey('fleet-app', [
        '--scopes', 'install', '--grants', 'read',
        '--limit', `installPerKey=${REGISTRATIONS}`, '--limit', `itemsRead=${LIMIT}`,
      ]); // prettier-ignore
      const registered: { status: number; body: any }[] = [];
      for (let i = 0; i <= REGISTRATIONS; i++)
        registered.push(
          await fleet.direct(fleet.apis[i % 2]!, '/v1/installations', { method: 'POST', key: app }),
        );
      assert.deepEqual(
        registered.map((r) => r.status),
        expected(REGISTRATIONS, 201, REGISTRATIONS + 1),
        'registrations per app key, counted across hosts',
      );
      const [first, second] = registered.map((r) => r.body.token as string);
      assert.deepEqual(await alternate(first!, LIMIT + 2), expected(LIMIT, 200, LIMIT + 2), 'an installation'); // prettier-ignore
      assert.deepEqual(await alternate(second!, 2), [200, 200], "another installation's own budget"); // prettier-ignore
      const line =
        `key limit ${LIMIT}: 429 at request ${LIMIT + 1} alternating ${fleet.apis.map((h) => h.hostname).join('/')}; ` +
        `${REGISTRATIONS} registrations per app key then 429; installation budget ${LIMIT} then 429, another installation unaffected`;
      t.diagnostic(line);
      figures.set('limits across api hosts', line);
    },
  );
}
