/**
 * The budgets of DESIGN §8, the report's data types, and the verdict on each budget with the reason
 * behind it (figures from this run), for bench/scan/report.ts to render.
 */
import { median, percentiles } from '../kit/stats.js';
import type { Breakdown } from './breakdown.js';
import type { ScanCall } from './e2e.js';
import type { Contender, MicroResult, MicroSettings } from './micro.js';

/** DESIGN §8. */
export const BUDGETS = {
  uncachedP50Ms: 60,
  cachedServerP50Ms: 3,
  synthMs: 1000,
  /** 1.2 GB, decimal. */
  synthRssBytes: 1.2e9,
  floorRatio: 1.5,
  peerFactor: 50,
  /** The peers the ≥ 50× budget names; trading-signals is measured alongside. */
  budgetPeers: ['talib', 'tulind', 'technicalindicators'],
};

export interface LoadNote {
  part: string;
  /** 1-minute load average when the part started (after waiting for it to drop). */
  load1: number;
  /** Seconds waited before the part for the load average to drop. */
  waitedSeconds: number;
  /** Busy cores of the whole machine during the part (this bench, its servers, PostgreSQL, Redis, everyone else). */
  busyCores: number;
}

type Memory = { rss: number; peak: number } | null;

export interface E2eReal {
  symbols: number;
  firstMs: number;
  uncached: ScanCall[];
  cached: ScanCall[];
  /** Server time of GET /health/live, one after each cached scan: the stack's floor per request. */
  liveServer: number[];
  workerMemory: Memory;
}

export interface E2eSynth {
  database: string;
  provenance: string;
  cold: ScanCall;
  loadSeconds: number | null;
  warm: ScanCall[];
  memory: { idle: Memory; afterLoad: Memory; afterScans: Memory };
  /** SCAN_THREADS of the measured worker (its default: the machine's available cores). */
  threads: number;
  /** The SCAN_THREADS=1 worker's warm scans, alternating with `warm`: the single-thread floor. */
  inline: { warm: ScanCall[]; memory: Memory };
}

export interface ScanReport {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; os: string; memoryGb: number; node: string };
  load: { atStart: number; loadMax: number; waitBudgetSeconds: number; parts: LoadNote[] };
  durationSeconds: number;
  micro: MicroResult[];
  unavailablePeers: { name: string; reason: string }[];
  microSettings: MicroSettings;
  real: E2eReal;
  synth: E2eSynth;
  settings: { uncached: number; cached: number; synthRuns: number; redis: string };
  /** Where an uncached round trip's time goes, from traces (taken when its budget is missed). */
  breakdown?: Breakdown;
}

export const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
export const f1 = (n: number) => n.toFixed(1);
export const f2 = (n: number) => n.toFixed(2);
export const ms = (n: number) => (n >= 100 ? f0(n) : n >= 10 ? f1(n) : f2(n));
export const gb = (bytes: number | undefined) =>
  bytes === undefined || Number.isNaN(bytes) ? '–' : `${(bytes / 1e9).toFixed(2)} GB`;
export const times = (n: number) => (n >= 100 ? `${f0(n)}×` : n >= 10 ? `${f1(n)}×` : `${f2(n)}×`);
export const ok = (met: boolean) => (met ? '**met**' : '**missed**');

export const find = (set: MicroResult, name: string): Contender | undefined =>
  set.contenders.find((c) => c.name === name);

/**
 * For a missed end-to-end budget: how busy the machine was during that part, when it was busy.
 * Four processes of the measurement (api, worker, PostgreSQL, Redis) share two cores; every other
 * runnable process makes each of them wait for a core at every hop.
 */
function busy(r: ScanReport, prefix: string): string {
  const note = r.load.parts.find((p) => p.part.startsWith(prefix));
  if (!note || note.load1 <= r.load.loadMax) return '';
  return (
    `; and the machine was shared: load average ${f2(note.load1)} at the start of this part, ${f2(note.busyCores)} of ` +
    `${r.machine.cores} cores busy during it, so each of the four processes involved (api, worker, PostgreSQL, Redis) waited for a core at every hop`
  );
}

export interface Verdict {
  what: string;
  budget: string;
  result: string;
  met: boolean;
  why: string;
}

export function verdicts(r: ScanReport): Verdict[] {
  const out: Verdict[] = [];
  const un = percentiles(r.real.uncached.map((c) => c.ms));
  const workerTotal = median(r.real.uncached.map((c) => c.metrics.totalMs ?? NaN));
  const workerCompute = median(r.real.uncached.map((c) => c.metrics.computeMs ?? NaN));
  out.push({
    what: `scan, ${r.real.symbols} symbols, warm data, uncached, POST → completed`,
    budget: `p50 ≤ ${BUDGETS.uncachedP50Ms} ms`,
    result: `p50 ${ms(un.p50)} ms, p95 ${ms(un.p95)} ms`,
    met: un.p50 <= BUDGETS.uncachedP50Ms,
    why:
      un.p50 <= BUDGETS.uncachedP50Ms
        ? `${ms(BUDGETS.uncachedP50Ms - un.p50)} ms of headroom; the worker's own time is ${ms(workerTotal)} ms (engine ${ms(workerCompute)} ms), ` +
          "the rest is the api (auth, rate limit, inserting the run) and BullMQ's hops through Redis (the result comes back in the completion event)"
        : `over by ${ms(un.p50 - BUDGETS.uncachedP50Ms)} ms: the worker's own time is only ${ms(workerTotal)} ms (engine ${ms(workerCompute)} ms); ` +
          `the other ${ms(un.p50 - workerTotal)} ms are the api (auth, rate limit, validation, inserting the run), BullMQ's hops through Redis ` +
          '(enqueue, the worker picking the job up, QueueEvents bringing the result back)' +
          busy(r, '2.'),
  });
  const server = percentiles(r.real.cached.map((c) => c.serverMs ?? NaN));
  const client = percentiles(r.real.cached.map((c) => c.ms));
  out.push({
    what: 'scan, cached',
    budget: `p50 ≤ ${BUDGETS.cachedServerP50Ms} ms server time`,
    result: `server p50 ${ms(server.p50)} ms, p95 ${ms(server.p95)} ms (client p50 ${ms(client.p50)} ms)`,
    met: server.p50 <= BUDGETS.cachedServerP50Ms,
    why:
      server.p50 <= BUDGETS.cachedServerP50Ms
        ? `${ms(BUDGETS.cachedServerP50Ms - server.p50)} ms of headroom`
        : `over by ${ms(server.p50 - BUDGETS.cachedServerP50Ms)} ms: a cache hit still authenticates, counts the rate limit in Redis, validates and hashes the request, and sends the answer's bytes held in memory (${f0(r.real.cached[0]?.hits ?? 0)} hits with indicators, plan and rationale)` +
          busy(r, '2.'),
  });
  const warm = percentiles(r.synth.warm.map((c) => c.ms));
  const peak = r.synth.memory.afterScans?.peak ?? NaN;
  const rss = r.synth.memory.afterScans?.rss ?? NaN;
  const synthWorker = median(r.synth.warm.map((c) => c.metrics.totalMs ?? NaN));
  const storeBytes = (n: number) => n * (5 * 8 + 4); // five Float64 columns and the Int32 dates
  const bars = r.micro[1]?.bars ?? 12_600_000;
  const timeMet = warm.p50 <= BUDGETS.synthMs;
  const memMet = peak <= BUDGETS.synthRssBytes;
  out.push({
    what: `scan, ${f0(r.synth.cold.symbolsScanned)} synthetic symbols × 1,260 bars (warm, uncached)`,
    budget: `≤ 1 s, worker RSS ≤ ${gb(BUDGETS.synthRssBytes)}`,
    result: `p50 ${f0(warm.p50)} ms (p95 ${f0(warm.p95)} ms); worker RSS ${gb(rss)} after the scans, peak ${gb(peak)}`,
    met: timeMet && memMet,
    why: [
      timeMet
        ? `time met with ${f0(BUDGETS.synthMs - warm.p50)} ms of headroom (worker ${f0(synthWorker)} ms of it)`
        : `time over by ${f0(warm.p50 - BUDGETS.synthMs)} ms (worker ${f0(synthWorker)} ms of it)` +
          busy(r, '3.'),
      memMet
        ? `memory met: peak ${gb(peak)}, of which the bar columns are ${gb(storeBytes(bars))} (${f0(bars)} bars × 44 bytes)`
        : `memory over by ${gb(peak - BUDGETS.synthRssBytes)}: the bar columns alone are ${gb(storeBytes(bars))} (${f0(bars)} bars × 44 bytes), ` +
          `the idle worker ${gb(r.synth.memory.idle?.rss)}; the rest is what the load and the scans leave on the JavaScript heap (COPY buffers, symbol strings, instruments, results)`,
    ].join('; '),
  });
  const floorRatios = r.micro.map((s) => ({
    label: s.label,
    ratio: find(s, 'engine')!.timing.ms / find(s, 'floor')!.timing.ms,
    best: find(s, 'engine')!.timing.bestMs / find(s, 'floor')!.timing.bestMs,
  }));
  const worstFloor = Math.max(...floorRatios.map((x) => x.ratio));
  out.push({
    what: 'engine alone vs a tight single-pass loop over the same arrays',
    budget: `≤ ${BUDGETS.floorRatio}×`,
    result: floorRatios
      .map((x) => `${x.label}: ${f2(x.ratio)}× (fastest passes: ${f2(x.best)}×)`)
      .join(', '),
    met: worstFloor <= BUDGETS.floorRatio,
    why:
      worstFloor <= BUDGETS.floorRatio
        ? "the engine runs the same recursion loop as the floor; its extra time is its separate trailing-window loops, the state array between loops, scoring, filters, ranking and the hits' Analysis objects"
        : `over by ${f2(worstFloor - BUDGETS.floorRatio)}×: the extra time is the engine's separate trailing-window loops (each window re-read), the state array between loops, scoring, filters, ranking and the hits' Analysis objects`,
  });
  const peerRatios = r.micro.flatMap((s) =>
    BUDGETS.budgetPeers.flatMap((name) => {
      const c = find(s, name);
      return c ? [{ set: s.label, name, ratio: c.timing.ms / find(s, 'engine')!.timing.ms }] : [];
    }),
  );
  const slowest = peerRatios.reduce(
    (a, b) => (b.ratio < a.ratio ? b : a),
    peerRatios[0] ?? { set: '', name: '', ratio: NaN },
  );
  const missing = BUDGETS.budgetPeers.filter((n) => !peerRatios.some((p) => p.name === n));
  out.push({
    what: `engine vs ${BUDGETS.budgetPeers.join(' / ')} on the same data`,
    budget: `≥ ${BUDGETS.peerFactor}× faster`,
    result: `${times(slowest.ratio)} at the least (${slowest.name}, ${slowest.set})`,
    met: slowest.ratio >= BUDGETS.peerFactor && missing.length === 0,
    why:
      (slowest.ratio >= BUDGETS.peerFactor
        ? `the closest peer is ${slowest.name}; every peer call converts its JavaScript arrays, allocates whole output series and returns them, where the engine reads typed columns once per symbol and keeps only the last values`
        : `short by ${f1(BUDGETS.peerFactor - slowest.ratio)}× (${slowest.name})`) +
      (missing.length > 0 ? `; not measured: ${missing.join(', ')}` : ''),
  });
  return out;
}
