import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ServerFrame } from '../support/api-types.js';
import { waitFor } from '../support/e2e.js';
import type { FrameLog } from '../support/ws.js';
import type { AppHost } from './support/app-host.js';
import { SYMBOLS } from './support/data-host.js';
import { uniqueScan, type Fleet } from './support/fleet.js';
import { cutLink, healLink, namespaceOf, pidsIn } from './support/network.js';

type Completed = Extract<ServerFrame, { type: 'completed' }>;
const MAX_SYMBOLS = 50;
const scanIdOf = (f: ServerFrame): string | undefined =>
  'scanId' in f ? f.scanId : 'scan' in f ? f.scan.id : undefined;
const terminalOf = (ws: FrameLog, id: string) =>
  ws.frames.filter((f) => scanIdOf(f) === id && (f.type === 'completed' || f.type === 'failed'));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Starts a 10,000-symbol scan over the WebSocket of `ws` and calls `strike` with the worker host
 * running it once a scanning frame reports ≥ 30 % (the runner is looked up as soon as the scan is
 * accepted, so the strike itself is one `ip link`). Resolves once struck.
 */
async function scanAndStrike(
  fleet: Fleet,
  ws: FrameLog,
  strike: (host: AppHost) => void,
): Promise<{ id: string; host: AppHost; percent: number; at: number }> {
  ws.send({ type: 'scan', request: uniqueScan({ maxSymbols: MAX_SYMBOLS }) });
  await ws.until((frames) => frames.some((f) => f.type === 'accepted'), 30_000, 'accepted');
  const id = ws.of('accepted')[0]!.scan.id;
  const { host } = await fleet.runnerOf(id);
  let struck: { percent: number; at: number } | null = null;
  const onFrame = () => {
    const f = ws.frames.at(-1)!;
    if (struck || f.type !== 'progress' || f.scanId !== id || f.percent < 30) return;
    strike(host);
    struck = { percent: f.percent, at: Date.now() };
  };
  ws.socket.on('message', onFrame);
  try {
    await waitFor(() => struck !== null, 180_000, `scan ${id} to reach 30 % on ${host.name}`);
  } finally {
    ws.socket.off('message', onFrame);
  }
  return { id, host, ...struck! };
}

/** Issue 14, item 1: a worker host lost, and one partitioned from Redis then healed. */
export function workerTests(fleet: Fleet, figures: Map<string, string>): void {
  it(
    'finishes a 10,000-symbol scan on the other worker host when the one running it is lost: one result set, one terminal frame',
    { timeout: 400_000 },
    async (t) => {
      const ws = await fleet.socket(fleet.apis[0]!);
      try {
        // The host's link goes first (it is gone from the network at once), then every process
        // of it, supervisord included: nothing of it comes back until it is started again.
        const lost = await scanAndStrike(fleet, ws, (host) => cutLink(host.name));
        for (const pid of pidsIn(namespaceOf(lost.host.name))) process.kill(pid, 'SIGKILL');
        await waitFor(() => pidsIn(namespaceOf(lost.host.name)).length === 0, 10_000, 'the lost host to be empty'); // prettier-ignore
        const [run] = await fleet.sql(`SELECT status FROM scan_runs WHERE id = $1`, [lost.id]);
        assert.equal(run!['status'], 'running', 'the host was lost before the scan finished');

        await waitFor(() => terminalOf(ws, lost.id).length > 0, 180_000, 'a terminal frame');
        const recovered = Date.now() - lost.at;
        await ws.roundTrip();
        assert.deepEqual(terminalOf(ws, lost.id).map((f) => f.type), ['completed']); // prettier-ignore
        const row = await fleet.finished(lost.id, 10_000);
        assert.equal(row['status'], 'completed');
        const set = await fleet.resultSet(lost.id);
        assert.deepEqual([set.n, set.symbols, set.ranks], [MAX_SYMBOLS, MAX_SYMBOLS, MAX_SYMBOLS]);
        const scan = (terminalOf(ws, lost.id)[0] as Completed).scan;
        assert.equal(scan.result!.universeSize, SYMBOLS);
        const { host: finisher } = await fleet.runnerOf(lost.id);
        assert.notEqual(finisher.name, lost.host.name, 'finished on the other worker host');

        healLink(lost.host.name);
        await lost.host.start();
        await fleet.warmWorkers();
        const line =
          `${lost.host.hostname} cut at ${lost.percent} % and killed; ${finisher.hostname} completed it ` +
          `${seconds(recovered)} later (attempt ${row['attempts']}), ${set.n} result rows, 1 terminal frame`;
        t.diagnostic(line);
        figures.set('worker host lost', line);
      } finally {
        ws.socket.close();
      }
    },
  );

  it(
    'completes a job exactly once when the worker host holding it is partitioned and healed: the late write is fenced off',
    { timeout: 400_000 },
    async (t) => {
      const events = await fleet.queueEvents();
      const completions: string[] = [];
      events.on('completed', ({ jobId }) => completions.push(jobId));
      const ws = await fleet.socket(fleet.apis[1]!);
      const pidsBefore = new Map(await Promise.all(fleet.workers.map(async (w) => [w.name, await w.pids()] as const))); // prettier-ignore
      try {
        const cut = await scanAndStrike(fleet, ws, (host) => cutLink(host.name));
        await waitFor(() => terminalOf(ws, cut.id).length > 0, 180_000, 'a terminal frame');
        const takenOver = Date.now() - cut.at;
        const row = await fleet.finished(cut.id, 10_000);
        const stored = { row, set: await fleet.resultSet(cut.id) };
        const { host: finisher } = await fleet.runnerOf(cut.id);
        assert.notEqual(finisher.name, cut.host.name, 'taken over by the other worker host');

        healLink(cut.host.name);
        const healedAt = Date.now();
        const fenced = () => cut.host.logLines(cut.id).filter((l) => l.includes('a later attempt owns the run')); // prettier-ignore
        await waitFor(() => fenced().length > 0, 180_000, `${cut.host.name}'s late write to be refused`); // prettier-ignore
        const lateAfter = Date.now() - healedAt;
        await ws.roundTrip();
        assert.deepEqual(terminalOf(ws, cut.id).map((f) => f.type), ['completed']); // prettier-ignore
        const now = { row: await fleet.finished(cut.id, 1000), set: await fleet.resultSet(cut.id) };
        assert.deepEqual(now, stored, 'the late write neither duplicated nor replaced the result');
        assert.deepEqual([now.set.n, now.set.symbols], [MAX_SYMBOLS, MAX_SYMBOLS]);
        assert.deepEqual(completions.filter((id) => id === cut.id), [cut.id], 'one completed event'); // prettier-ignore
        await cut.host.ready(60_000);
        assert.deepEqual(await cut.host.pids(), pidsBefore.get(cut.host.name), 'the healed host restarted nothing'); // prettier-ignore
        const line =
          `${cut.host.hostname} partitioned at ${cut.percent} %; ${finisher.hostname} completed the job ` +
          `${seconds(takenOver)} later (attempt ${row['attempts']}); healed, the late write came ` +
          `${seconds(lateAfter)} after and was refused; 1 completed event, result unchanged`;
        t.diagnostic(line);
        figures.set('worker host partitioned', line);
      } finally {
        ws.socket.close();
        await events.close();
      }
    },
  );
}
