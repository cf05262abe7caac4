import assert from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { it } from 'node:test';
import { SYMBOLS } from './support/data-host.js';
import { uniqueScan, type Fleet } from './support/fleet.js';

const SCANS = 30;
const LANES = 8;

interface Measured {
  perSecond: number;
  load: number;
  byHost: Record<string, number>;
}

/**
 * Submits SCANS uncached scans through the edge (LANES in flight) and waits until all completed;
 * scans per second from the first run's creation to the last one's completion (PostgreSQL's clock).
 */
async function measure(fleet: Fleet): Promise<Measured> {
  const ids: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < SCANS) {
      next++;
      const res = await fleet.edge.call('/v1/scans', {
        method: 'POST',
        headers: { 'X-API-Key': fleet.key, 'Content-Type': 'application/json' },
        body: JSON.stringify(uniqueScan()),
      });
      assert.equal(res.status, 202, res.body);
      ids.push((JSON.parse(res.body) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  for (const id of ids) assert.equal((await fleet.finished(id, 300_000))['status'], 'completed');
  const [span] = await fleet.sql<{ seconds: number }>(
    `SELECT extract(epoch FROM max(completed_at) - min(created_at))::float8 AS seconds
       FROM scan_runs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byHost: Record<string, number> = {};
  for (const id of ids) {
    const host = (await fleet.queue.getJob(id))?.processedBy?.split(':')[0] ?? 'unknown';
    byHost[host] = (byHost[host] ?? 0) + 1;
  }
  return { perSecond: SCANS / span!.seconds, load: loadavg()[0]!, byHost };
}

/** Issue 14, item 1: what a second worker host buys on this machine. */
export function throughputTests(fleet: Fleet, figures: Map<string, string>): void {
  it(
    'measures scans per second with two worker hosts and with one',
    { timeout: 400_000 },
    async (t) => {
      const [first, second] = fleet.workers as [Fleet['workers'][0], Fleet['workers'][0]];
      const two = await measure(fleet);
      assert.deepEqual(Object.keys(two.byHost).sort(), [first.hostname, second.hostname], 'both hosts ran scans'); // prettier-ignore
      // The operator's way to take a host's workers out: they finish what they run, then stop.
      const stopped = await second.ctl('stop', 'worker:*');
      assert.match(stopped.out, /stopped/, stopped.out);
      const one = await measure(fleet);
      assert.deepEqual(Object.keys(one.byHost), [first.hostname], 'only the remaining host ran scans'); // prettier-ignore
      // Back as found (its bars load again on its first scan: nothing after this test needs them).
      const started = await second.ctl('start', 'worker:*');
      assert.match(started.out, /started/, started.out);
      await second.ready(60_000);

      const rate = (m: Measured) => `${m.perSecond.toFixed(2)} scans/s (1-min load ${m.load.toFixed(1)})`; // prettier-ignore
      const line =
        `${SCANS} uncached scans of ${SYMBOLS.toLocaleString('en')} symbols, ${LANES} in flight, through the edge: ` +
        `1 worker host ${rate(one)}, 2 worker hosts ${rate(two)}, ratio ${(two.perSecond / one.perSecond).toFixed(2)}; ` +
        `all six hosts share this machine's ${cpus().length} cores, so the CPU is the ceiling, not the fleet`;
      t.diagnostic(line);
      figures.set('scans per second', line);
    },
  );
}
