/**
 * Closed-loop traffic: N connections, each sending its next request as soon as the previous one is
 * answered — throughput at a fixed concurrency (bench:predict's batches). Latency counts from the
 * send: a closed loop cannot see queueing before it (the open loop, open-loop.ts, can).
 */
import { performance } from 'node:perf_hooks';
import type { Reply } from './http-client.js';
import { percentiles, type Percentiles } from './stats.js';

export interface ClosedLoopResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  /** Items (texts) answered in successful requests. */
  items: number;
  /** Wall seconds from the start to the last answer (the last requests may end after the window). */
  elapsedSeconds: number;
  itemsPerSecond: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
}

/**
 * `connections` loops, each sending its next request as soon as the previous one is answered,
 * until `durationSeconds` have passed; `send` resolves with the reply, `itemsOf` counts the items
 * of a successful reply (0: the reply is wrong and counts as non-2xx).
 */
export async function closedLoop(
  connections: number,
  durationSeconds: number,
  send: (i: number) => Promise<Reply>,
  itemsOf: (reply: Reply) => number,
): Promise<ClosedLoopResult> {
  const start = performance.now();
  const end = start + durationSeconds * 1000;
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let items = 0;
  let lastAnswer = start;
  const loop = async () => {
    while (performance.now() < end) {
      const i = next++;
      const t = performance.now();
      try {
        const reply = await send(i);
        const done = performance.now();
        lastAnswer = Math.max(lastAnswer, done);
        statusCounts[reply.status] = (statusCounts[reply.status] ?? 0) + 1;
        const n = reply.status === 200 ? itemsOf(reply) : 0;
        if (n > 0) {
          ok++;
          items += n;
          latencies.push(done - t);
        } else non2xx++;
      } catch {
        lastAnswer = Math.max(lastAnswer, performance.now());
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedSeconds = (lastAnswer - start) / 1000;
  return {
    connections,
    durationSeconds,
    requests: next,
    ok,
    non2xx,
    errors,
    statusCounts,
    items,
    elapsedSeconds,
    itemsPerSecond: items / elapsedSeconds,
    requestsPerSecond: ok / elapsedSeconds,
    latencyMs: percentiles(latencies),
  };
}
