import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { FAIL_TIMEOUT_SECONDS } from './support/edge-host.js';
import type { Fleet } from './support/fleet.js';
import { cutLink, healLink } from './support/network.js';

/** One GET through the edge: when it left, how long it took, and what came back. */
interface Probe {
  id: string;
  sentAt: number;
  ms: number;
  outcome: string;
}

const PROBE_EVERY_MS = 100;
/** A phone's patience for a list to load; a GET slower than that failed for its user. */
const CLIENT_TIMEOUT_MS = 5000;

/** `request_id → final upstream address` from the edge's access log (JSON lines). */
function upstreams(accessLog: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(accessLog, 'utf8').split('\n')) {
    if (!line.includes('fleet-probe-')) continue;
    const entry = JSON.parse(line) as { request_id: string; upstream: string };
    // Nginx lists every upstream it tried ("a:3001, b:3001"): the last one answered.
    map.set(entry.request_id, entry.upstream.split(', ').at(-1) ?? '');
  }
  return map;
}

/** Issue 14, item 1: an api host partitioned, and Nginx's passive health check routing around it. */
export function edgeTests(fleet: Fleet, figures: Map<string, string>): void {
  it(
    'routes GETs through the edge around an api host cut off the network: failures only within the passive health check window',
    { timeout: 180_000 },
    async (t) => {
      const victim = fleet.apis[0]!;
      const window = FAIL_TIMEOUT_SECONDS * 1000;
      const cutAfter = 3000;
      const healAfter = cutAfter + 2 * window + 5000;
      const endAfter = healAfter + window + 5000;
      const probes: Promise<Probe>[] = [];
      const start = Date.now();
      let cutAt = 0;
      let healedAt = 0;
      // Bounded: one GET every 100 ms for ~43 s, each given up after 5 s.
      for (let i = 0; Date.now() - start < endAfter; i++) {
        if (!cutAt && Date.now() - start >= cutAfter) {
          cutLink(victim.name);
          cutAt = Date.now();
        }
        if (!healedAt && Date.now() - start >= healAfter) {
          healLink(victim.name);
          healedAt = Date.now();
        }
        const id = `fleet-probe-${i}`;
        const sentAt = Date.now();
        probes.push(
          fleet.edge
            .call('/v1/items?limit=1', {
              headers: { 'X-API-Key': fleet.key, 'X-Request-Id': id },
              timeoutMs: CLIENT_TIMEOUT_MS,
            })
            .then(
              (res) => ({ id, sentAt, ms: Date.now() - sentAt, outcome: String(res.status) }),
              (error: Error) => ({ id, sentAt, ms: Date.now() - sentAt, outcome: error.message }),
            ),
        );
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
      const done = await Promise.all(probes);
      const failed = done.filter((p) => p.outcome !== '200');
      const late = failed.filter((p) => p.sentAt < cutAt || p.sentAt > cutAt + window);
      assert.deepEqual(late, [], 'no GET failed outside the window after the cut');
      const servedBy = upstreams(join(fleet.edge.nginxDir, 'logs/access.log'));
      const victimAddress = `${victim.address}:3001`;
      const routedAround = done.filter(
        (p) => p.sentAt > cutAt + window && p.sentAt < healedAt && servedBy.get(p.id) === victimAddress,
      ); // prettier-ignore
      assert.deepEqual(routedAround, [], `nothing answered by ${victim.name} while it was cut off`);
      const back = done.filter((p) => p.sentAt > healedAt + window && servedBy.get(p.id) === victimAddress); // prettier-ignore
      assert.ok(back.length > 0, `${victim.name} serves again once healed`);
      const slow = done.filter((p) => p.outcome === '200' && p.ms > 1000);
      const lastFailure = failed.length ? Math.max(...failed.map((p) => p.sentAt)) - cutAt : 0;
      const line =
        `${done.length} GETs through the edge, ${victim.hostname} cut for ${((healedAt - cutAt) / 1000).toFixed(0)} s: ` +
        `${failed.length} failed (${[...new Set(failed.map((p) => p.outcome))].join('; ') || 'none'}), ` +
        `all sent within ${(lastFailure / 1000).toFixed(1)} s of the cut (window ${FAIL_TIMEOUT_SECONDS} s); ` +
        `${slow.length} answered 200 after > 1 s (max ${Math.max(0, ...slow.map((p) => p.ms))} ms); ` +
        `back in rotation after the heal (${back.length} GETs answered by it)`;
      t.diagnostic(line);
      figures.set('api host partitioned', line);
    },
  );
}
