import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';
import { waitFor } from '../support/e2e.js';
import { alive, ctl, processGroup } from '../ops/support/host.js';
import { ensureCommand } from '../support/debian.js';
import { SYMBOLS, sleep, uniqueScan, type FaultStack } from './support/stack.js';

type Frame = Record<string, any>;
const terminalOf = (frames: Frame[]) =>
  frames.filter((f) => f['type'] === 'completed' || f['type'] === 'failed');

/** POSTs each body (202 expected) with `parallel` requests in flight; returns the scan ids in order. */
async function submitAll(stack: FaultStack, bodies: object[], parallel = 10): Promise<string[]> {
  const ids: string[] = new Array(bodies.length);
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const i = next++;
      const res = await stack.call('/v1/scans', { method: 'POST', body: bodies[i] });
      assert.equal(res.status, 202, `scan ${i}: ${res.status} ${res.body.slice(0, 300)}`);
      ids[i] = JSON.parse(res.body).id as string;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return ids;
}

/** RELIABILITY "Queue (BullMQ)": a worker killed mid-scan, CPU starvation, Redis restarted under a backlog. */
export function queueFaults(stack: FaultStack, figures: Map<string, string>): void {
  it(
    'completes a 10,000-symbol scan whose worker is killed (-9) at 30 %: one result set, one terminal WebSocket frame',
    { timeout: 300_000 },
    async (t) => {
      const socket = stack.socket();
      const frames: Frame[] = [];
      let runner: Promise<number> | null = null;
      let killed: { percent: number; pid: number; at: number } | null = null;
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as Frame;
        frames.push(frame);
        if (frame['type'] !== 'progress' || killed) return;
        // The job names the process running it (worker name host:pid); look it up once it runs.
        runner ??= stack.queue
          .getJob(frame['scanId'])
          .then((job) => Number(job?.processedBy?.split(':').pop()));
        if (frame['percent'] >= 30) {
          killed = { percent: frame['percent'], pid: 0, at: 0 };
          void runner.then((pid) => {
            process.kill(pid, 'SIGKILL');
            killed = { percent: frame['percent'], pid, at: Date.now() };
          });
        }
      });
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'scan', request: uniqueScan({ maxSymbols: 50 }) }));
      await waitFor(
        () => (killed?.at ?? 0) > 0,
        180_000,
        'the scan to reach 30 % and its worker to be killed',
      );
      const { pid, percent, at } = killed!;
      const scanId = frames.find((f) => f['type'] === 'accepted')!['scan'].id as string;
      await waitFor(() => !alive(pid), 5_000, 'the killed worker to be gone');
      const [{ status }] = await stack.sql(`SELECT status FROM scan_runs WHERE id = $1`, [scanId]);
      assert.notEqual(status, 'completed', 'the worker died before it finished');

      await waitFor(() => terminalOf(frames).length > 0, 180_000, 'a terminal frame');
      const recoveredMs = Date.now() - at;
      await sleep(1000); // anything else in flight arrives now
      socket.close();
      assert.deepEqual(
        terminalOf(frames).map((f) => f['type']),
        ['completed'],
      );
      const [run] = await stack.sql(`SELECT status, attempts FROM scan_runs WHERE id = $1`, [
        scanId,
      ]);
      assert.equal(run!.status, 'completed');
      assert.deepEqual(await stack.resultSets([scanId]), [
        { id: scanId, n: 50, symbols: 50, ranks: 50 },
      ]);
      const scan = JSON.parse((await stack.call(`/v1/scans/${scanId}`)).body);
      assert.equal(scan.result.universeSize, SYMBOLS);
      assert.deepEqual(
        scan.result.results,
        terminalOf(frames)[0]!['scan'].result.results,
        'GET equals what the stream showed',
      );
      // Supervisor brought the killed process back.
      await waitFor(
        async () => (await stack.pids('worker')).size === 2,
        30_000,
        'two running workers again',
      );
      const line = `killed at ${percent} %, completed ${(recoveredMs / 1000).toFixed(1)} s later (attempt ${run!.attempts}), 50 result rows, 1 terminal frame`;
      t.diagnostic(line);
      figures.set('kill-9', line);
    },
  );

  it(
    'neither stalls nor repeats a job while stress-ng saturates both cores',
    { timeout: 300_000 },
    async (t) => {
      const missing = ensureCommand('stress-ng', 'stress-ng');
      if (missing) {
        t.diagnostic(`skipped: ${missing}`);
        t.skip(missing);
        return;
      }
      const events = await stack.queueEvents();
      const stalled: string[] = [];
      events.on('stalled', ({ jobId }) => stalled.push(jobId));
      // Its own process group: stress-ng forks one hog per CPU, and killing only the parent would
      // leave them spinning into the next tests.
      const stress = spawn('stress-ng', ['--cpu', '2', '--timeout', '120s', '--quiet'], {
        stdio: 'ignore',
        detached: true,
      });
      try {
        await sleep(2000);
        const started = Date.now();
        const ids = await submitAll(
          stack,
          Array.from({ length: 8 }, () => uniqueScan({ maxSymbols: 25 })),
          4,
        );
        const rows = await stack.finished(ids, 240_000);
        const elapsed = Date.now() - started;
        assert.deepEqual(
          rows.map((r) => [r.status, r.attempts]),
          ids.map(() => ['completed', 1]),
        );
        for (const set of await stack.resultSets(ids))
          assert.deepEqual([set.n, set.symbols, set.ranks], [25, 25, 25], set.id);
        for (const id of ids) {
          const job = await stack.queue.getJob(id);
          assert.deepEqual([job?.attemptsStarted, job?.stalledCounter], [1, 0], `job ${id}`);
          // Completed jobs are trimmed from Redis (results live in PostgreSQL).
          assert.deepEqual(job?.opts.removeOnComplete, { age: 3600, count: 1000 });
        }
        assert.deepEqual(stalled, []);
        const line = `8 scans of 10,000 symbols under stress-ng --cpu 2: all completed in ${(elapsed / 1000).toFixed(1)} s, 0 stalled, every job started once`;
        t.diagnostic(line);
        figures.set('stress', line);
      } finally {
        process.kill(-stress.pid!, 'SIGKILL');
        await waitFor(
          () => processGroup(stress.pid!).length === 0,
          10_000,
          'every stress-ng process to exit',
        );
        await events.close();
      }
    },
  );

  it(
    'keeps 200 waiting scans across a Redis crash and restart (AOF), re-enqueues a lost job when asked again: all complete once workers return',
    { timeout: 420_000 },
    async (t) => {
      const stopped = await ctl('stop', 'worker:*');
      assert.equal(stopped.code, 0, stopped.out);
      try {
        const bodies = Array.from({ length: 200 }, (_, i) => ({
          symbols: [`SYN${String(i + 1).padStart(5, '0')}`],
          maxSymbols: 1,
        }));
        const ids = await submitAll(stack, bodies);
        assert.equal(await stack.queue.getWaitingCount(), 200);

        // A job lost from Redis (say, a restart without AOF): asking again enqueues it again, under
        // the same run — never a 202 for a job that will not run (taskforcesh/bullmq#1337).
        const lostBody = { symbols: ['SYN09999'], maxSymbols: 1 };
        const [lost] = await submitAll(stack, [lostBody], 1);
        await (await stack.queue.getJob(lost!))!.remove();
        const again = await stack.call('/v1/scans', { method: 'POST', body: lostBody });
        assert.equal(again.status, 202);
        assert.equal(JSON.parse(again.body).id, lost, 'the same run');
        assert.ok(await stack.queue.getJob(lost!), 'its job is in the queue again');
        ids.push(lost!);

        await sleep(1500); // appendfsync everysec: what was acknowledged a second ago is on disk
        await stack.redis.stop('kill');
        await stack.redis.start();
        assert.equal(
          await stack.queue.getWaitingCount(),
          201,
          'the waiting jobs came back from the AOF',
        );

        const started = Date.now();
        const restarted = await ctl('start', 'worker:*');
        assert.equal(restarted.code, 0, restarted.out);
        const rows = await stack.finished(ids, 300_000);
        assert.deepEqual(
          rows.filter((r) => r.status !== 'completed'),
          [],
        );
        for (const set of await stack.resultSets(ids))
          assert.deepEqual([set.n, set.symbols, set.ranks], [1, 1, 1], set.id);
        const line = `200 of 200 waiting scans (and one whose job was deleted, then asked for again) survived a SIGKILL of Redis and completed ${((Date.now() - started) / 1000).toFixed(1)} s after the workers started (cold bar cache included)`;
        t.diagnostic(line);
        figures.set('redis-restart', line);
      } finally {
        await ctl('start', 'worker:*');
      }
    },
  );
}
