import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ServerFrame } from '../support/api-types.js';
import { uniqueScan, type Fleet } from './support/fleet.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const terminalFor = (frames: ServerFrame[], id: string) =>
  frames.filter(
    (f) => (f.type === 'completed' && f.scan.id === id) || (f.type === 'failed' && f.scanId === id),
  );

/** Issue 14, item 1: the data host's Redis restarted under the whole fleet. */
export function redisTests(fleet: Fleet, figures: Map<string, string>): void {
  it(
    "reconnects every host by itself when the data host's Redis restarts: no process restarted",
    { timeout: 300_000 },
    async (t) => {
      const pidsOf = async () =>
        new Map(await Promise.all(fleet.appHosts.map(async (h) => [h.name, await h.pids()] as const))); // prettier-ignore
      const before = await pidsOf();
      assert.equal([...before.values()].reduce((n, m) => n + m.size, 0), 4, 'one process per app host'); // prettier-ignore

      const stoppedAt = Date.now();
      await fleet.data.stopRedis();
      // While it is away the api hosts say so (readiness 503), and keep running.
      const whileDown = await Promise.all(
        fleet.apis.map(async (h) => (await fetch(`${h.url()}/health/ready`)).status),
      );
      assert.deepEqual(whileDown, [503, 503]);
      await new Promise((r) => setTimeout(r, 3000));
      await fleet.data.startRedis();
      const backAt = Date.now();
      await Promise.all(fleet.appHosts.map((h) => h.ready(60_000)));
      const readyAfter = Date.now() - backAt;

      // Each api host hears the queue's events again: a scan through the edge streams to both.
      const sockets = await Promise.all(fleet.apis.map((h) => fleet.socket(h)));
      try {
        const res = await fleet.edge.call('/v1/scans', {
          method: 'POST',
          headers: { 'X-API-Key': fleet.key, 'Content-Type': 'application/json' },
          body: JSON.stringify(uniqueScan()),
        });
        assert.equal(res.status, 202, res.body);
        const id = (JSON.parse(res.body) as { id: string }).id;
        for (const ws of sockets) ws.send({ type: 'subscribe', scanId: id });
        for (const ws of sockets)
          await ws.until((frames) => terminalFor(frames, id).length > 0, 120_000, `scan ${id} on every api host`); // prettier-ignore
        const scanAfter = Date.now() - backAt;
        for (const ws of sockets)
          assert.deepEqual(terminalFor(ws.frames, id).map((f) => f.type), ['completed']); // prettier-ignore
        // And each worker host takes jobs again.
        await fleet.warmWorkers();
        const workersAfter = Date.now() - backAt;

        assert.deepEqual(await pidsOf(), before, 'no process was restarted');
        const line =
          `Redis down ${seconds(backAt - stoppedAt)} (api readiness 503 meanwhile); every process ready ` +
          `${seconds(readyAfter)} after it returned, a scan through the edge streamed to both api hosts ` +
          `${seconds(scanAfter)} after, each worker host ran a scan by ${seconds(workersAfter)}; ` +
          `pids of the 4 app processes unchanged`;
        t.diagnostic(line);
        figures.set('Redis restarted', line);
      } finally {
        for (const ws of sockets) ws.socket.close();
      }
    },
  );
}
