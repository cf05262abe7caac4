/**
 * Part 3 of the scan bench's section: 10,000 synthetic symbols end to end, the worker's threads
 * beside the single-thread floor (a SCAN_THREADS=1 worker) measured in the same run, and the
 * verdict on issue 16's budget for it.
 */
import { median, percentiles } from '../kit/stats.js';
import { f0, f1, f2, gb, ms, type ScanReport } from './verdicts.js';

/** Issue 16: a warm uncached 10,000-symbol scan, POST → completed p50, with the scan on every core. */
export const SPLIT_P50_BUDGET_MS = 50;

interface Figures {
  client: ReturnType<typeof percentiles>;
  worker: number;
  engine: number;
  symbolsPerSecond: number;
}

function figures(calls: ScanReport['synth']['warm']): Figures {
  return {
    client: percentiles(calls.map((c) => c.ms)),
    worker: median(calls.map((c) => c.metrics.totalMs ?? NaN)),
    engine: median(calls.map((c) => c.metrics.computeMs ?? NaN)),
    symbolsPerSecond: median(calls.map((c) => c.metrics.symbolsPerSecond ?? NaN)),
  };
}

const row = (label: string, n: number, f: Figures) =>
  `| ${label} | ${n} | ${ms(f.client.p50)} | ${ms(f.client.p95)} | ${ms(f.client.max)} | ${ms(f.worker)} | ${ms(f.engine)} | ${f0(f.symbolsPerSecond)} |`;

/** The verdict on the budget, with where the time goes when it is missed. */
function verdict(split: Figures, floor: Figures, threads: number): string {
  const p50 = split.client.p50;
  const met = p50 <= SPLIT_P50_BUDGET_MS;
  const outcome = met
    ? `**met** with ${ms(SPLIT_P50_BUDGET_MS - p50)} ms to spare`
    : `**missed** by ${ms(p50 - SPLIT_P50_BUDGET_MS)} ms (${f2(p50 / SPLIT_P50_BUDGET_MS)}× the budget)`;
  const parts =
    `engine ${ms(split.engine)} ms, the rest of the worker's run ${ms(split.worker - split.engine)} ms ` +
    `(claiming the run, progress frames, writing the results), the api and BullMQ's hops ${ms(p50 - split.worker)} ms`;
  return (
    `**Budget (issue 16): p50 ≤ ${SPLIT_P50_BUDGET_MS} ms POST → completed with the scan on every core**: ${outcome}. ` +
    `On ${threads} threads the p50 is ${ms(p50)} ms against ${ms(floor.client.p50)} ms inline (${f2(floor.client.p50 / p50)}× faster end to end); ` +
    `the engine's own wall time ${ms(split.engine)} ms against ${ms(floor.engine)} ms (${f2(floor.engine / split.engine)}×, at most ${threads}× on ${threads} cores). ` +
    `Where the threaded p50 goes: ${parts}.`
  );
}

export function synthSection(r: ScanReport): string[] {
  const s = r.synth;
  const split = figures(s.warm);
  const floor = figures(s.inline.warm);
  const mem = s.memory;
  const redis = r.settings.redis.split(', ');
  return [
    `### 3. End to end, ${f0(s.cold.symbolsScanned)} synthetic symbols × 1,260 bars`,
    '',
    `Database \`${s.database}\` (separate from the dev database), ${s.provenance}: the universe of ` +
      "`data synth --symbols 10000 --bars 1260 --seed 1` (docs/market-data.md), the same bars as part 1's synthetic set. " +
      `Two more api + worker pairs on it, each with its own Redis database, same settings as part 2: the worker as production runs it ` +
      `(${redis[1]}; a universe of \`SCAN_THREADS_MIN_SYMBOLS\` or more split across \`SCAN_THREADS\` worker threads, ${s.threads} here, the machine's cores) ` +
      `and one with \`SCAN_THREADS=1\` (${redis[2]}; the engine inline on the worker's own thread: the single-thread floor).`,
    '',
    `- **Cold first scan** (the worker loads ${f1((r.micro[1]?.bars ?? NaN) / 1e6)} M bars into its columnar cache with one streaming COPY): ${f1(s.cold.ms / 1000)} s POST → completed` +
      `${s.cold.polled ? ' (longer than ?wait=30: polled with GET until completed)' : ''}; of that, the bar-cache load is ` +
      `${s.loadSeconds === null ? '–' : `${f1(s.loadSeconds)} s`} (the worker's \`scan_stage_duration_seconds\` for stage \`fetching\`), ` +
      `the worker's whole run ${f1((s.cold.metrics.totalMs ?? NaN) / 1000)} s (result.metrics.totalMs, barCacheHit ${String(s.cold.metrics.barCacheHit)}).`,
    `- **Warm, uncached**: one unmeasured scan on each worker (the threaded one hands its store to the threads then, once per data version), ` +
      `then ${s.warm.length} scans on each, alternating (threaded, inline, threaded, …) with different bodies, each checked \`cached: false\`, \`barCacheHit: true\`. ` +
      "computeMs is the engine's wall time: on the threads, from handing out the shares to the last share's end.",
    '',
    '| | n | client p50 ms | client p95 ms | client max ms | worker totalMs p50 | engine computeMs p50 | symbols/s (engine) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row(`warm uncached, ${s.threads} threads`, s.warm.length, split),
    row('warm uncached, `SCAN_THREADS=1` (floor)', s.inline.warm.length, floor),
    '',
    verdict(split, floor, s.threads),
    '',
    `Worker memory (VmRSS from /proc/<pid>/status; peak = VmHWM), the threaded worker: ${gb(mem.idle?.rss)} idle before the first scan, ${gb(mem.afterLoad?.rss)} after ` +
      `the cold scan, ${gb(mem.afterScans?.rss)} after the warm scans; peak ${gb(mem.afterScans?.peak)}. ` +
      `The inline worker after its scans: ${gb(s.inline.memory?.rss)} (peak ${gb(s.inline.memory?.peak)}).`,
  ];
}

export function synthSummary(r: ScanReport): string {
  const s = r.synth;
  const split = figures(s.warm);
  const floor = figures(s.inline.warm);
  return (
    `  ${f0(s.cold.symbolsScanned)} symbols: cold ${f1(s.cold.ms / 1000)} s (load ${s.loadSeconds === null ? '–' : f1(s.loadSeconds)} s); ` +
    `warm p50 ${ms(split.client.p50)} ms on ${s.threads} threads vs ${ms(floor.client.p50)} ms inline (budget ≤ ${SPLIT_P50_BUDGET_MS} ms); ` +
    `worker RSS ${gb(s.memory.afterScans?.rss)}, peak ${gb(s.memory.afterScans?.peak)}`
  );
}
