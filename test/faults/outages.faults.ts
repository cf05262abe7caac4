import assert from 'node:assert/strict';
import { once } from 'node:events';
import { it } from 'node:test';
import { waitFor } from '../support/e2e.js';
import { sleep, uniqueScan, type FaultStack } from './support/stack.js';

type Frame = Record<string, any>;

/** Calls `probe` every `everyMs` for `forMs`, collecting what it returns. */
async function during<T>(forMs: number, everyMs: number, probe: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const started = Date.now();
    out.push(await probe());
    await sleep(Math.max(0, everyMs - (Date.now() - started)));
  }
  return out;
}

const isProblem = (res: { headers: Record<string, unknown> }) =>
  /application\/problem\+json/.test(String(res.headers['content-type']));

/** RELIABILITY "Queue": producer while Redis is down; "Database": PostgreSQL down at runtime. */
export function outageFaults(stack: FaultStack, figures: Map<string, string>): void {
  it(
    'answers POST /v1/scans 503 within 2 s while Redis is down for 30 s, keeps serving items, and scans run again within 15 s of its return',
    { timeout: 180_000 },
    async (t) => {
      await stack.redis.stop('shutdown');
      const probes = await during(30_000, 2_000, async () => {
        const started = Date.now();
        const scan = await stack.call('/v1/scans', { method: 'POST', body: uniqueScan() });
        const scanMs = Date.now() - started;
        const items = await stack.call('/v1/items?limit=5');
        return { scan: scan.status, problem: isProblem(scan), scanMs, items: items.status };
      });
      await stack.redis.start();
      const back = Date.now();

      // A WebSocket scan: the api's producer and its QueueEvents and a worker all reconnected.
      let accepted: Frame | undefined;
      let completed: Frame | undefined;
      await waitFor(
        async () => {
          const socket = stack.socket();
          const frames: Frame[] = [];
          socket.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
          await once(socket, 'open');
          socket.send(JSON.stringify({ type: 'scan', request: uniqueScan({ maxSymbols: 10 }) }));
          await waitFor(
            () => frames.some((f) => ['completed', 'failed', 'error'].includes(f['type'])),
            30_000,
            'an answer',
          ).catch(() => {});
          socket.close();
          accepted = frames.find((f) => f['type'] === 'accepted');
          completed = frames.find((f) => f['type'] === 'completed');
          return completed !== undefined;
        },
        60_000,
        'a scan to complete after Redis returned',
      );
      const resumedMs = Date.now() - back;

      const slowest = Math.max(...probes.map((p) => p.scanMs));
      assert.ok(probes.length >= 10, `${probes.length} probes`);
      assert.deepEqual(
        [...new Set(probes.map((p) => p.scan))],
        [503],
        'every new scan was refused with 503',
      );
      assert.ok(
        probes.every((p) => p.problem),
        'as problem+json',
      );
      assert.ok(slowest <= 2000, `the slowest 503 took ${slowest} ms`);
      assert.deepEqual(
        [...new Set(probes.map((p) => p.items))],
        [200],
        'items were served throughout',
      );
      assert.ok(accepted, 'the scan was accepted');
      assert.ok(resumedMs <= 15_000, `a scan completed ${resumedMs} ms after Redis returned`);
      const line = `${probes.length} POSTs during 30 s: all 503, slowest ${slowest} ms; GET items 200 throughout; a scan completed ${(resumedMs / 1000).toFixed(1)} s after Redis returned`;
      t.diagnostic(line);
      figures.set('redis-down', line);
    },
  );

  it(
    'answers 503 (never 500) while PostgreSQL is unreachable for 20 s, live 200 and ready 503, then recovers with no process restarted',
    { timeout: 180_000 },
    async (t) => {
      const pidsBefore = [...(await stack.pids('api')), ...(await stack.pids('worker'))];
      await stack.pg.cut();
      const cutAt = Date.now();
      const probes = await during(20_000, 2_000, async () => {
        const started = Date.now();
        const items = await stack.call('/v1/items?limit=5');
        const ms = Date.now() - started;
        const scan = await stack.call('/v1/scans', { method: 'POST', body: uniqueScan() });
        const live = await stack.call('/health/live');
        const ready = await stack.call('/health/ready');
        return {
          items: items.status,
          problem: isProblem(items),
          body: items.body,
          ms,
          scan: scan.status,
          live: live.status,
          ready: ready.status,
        };
      });
      await stack.pg.open();
      const back = Date.now();
      await waitFor(
        async () => (await stack.call('/v1/items?limit=5')).status === 200,
        30_000,
        'items to be served again',
      );
      const itemsBackMs = Date.now() - back;
      await waitFor(
        async () => (await stack.call('/health/ready')).status === 200,
        30_000,
        'ready again',
      );
      const scan = await stack.call('/v1/scans?wait=20', {
        method: 'POST',
        body: uniqueScan({ maxSymbols: 5 }),
      });
      const pidsAfter = [...(await stack.pids('api')), ...(await stack.pids('worker'))];

      assert.ok(Date.now() - cutAt >= 20_000);
      assert.deepEqual(
        [...new Set(probes.map((p) => p.items))],
        [503],
        'items answered 503 throughout',
      );
      assert.ok(
        probes.every((p) => p.problem),
        'as problem+json',
      );
      assert.ok(
        probes.every((p) => !/ECONNREFUSED|127\.0\.0\.1|postgres|stack/i.test(p.body)),
        'a generic body: no host, driver message or stack',
      );
      assert.deepEqual([...new Set(probes.map((p) => p.scan))], [503], 'new scans answered 503');
      assert.deepEqual([...new Set(probes.map((p) => p.live))], [200], '/health/live stayed 200');
      assert.deepEqual([...new Set(probes.map((p) => p.ready))], [503], '/health/ready said 503');
      assert.equal(scan.status, 200, `a scan after recovery: ${scan.body.slice(0, 300)}`);
      assert.equal(JSON.parse(scan.body).status, 'completed');
      assert.deepEqual(pidsAfter, pidsBefore, 'the same processes, none restarted');
      const slowest = Math.max(...probes.map((p) => p.ms));
      const line = `${probes.length} probes during 20 s: items 503 (slowest ${slowest} ms), scans 503, live 200, ready 503; items 200 again ${(itemsBackMs / 1000).toFixed(1)} s after the database returned; 0 restarts`;
      t.diagnostic(line);
      figures.set('pg-down', line);
    },
  );
}
