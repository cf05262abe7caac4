/**
 * Issue 16's scan budgets (the new DESIGN §8 rows) as one table from one run: each row's figure
 * beside its peer or floor measured in the same run, the verdict, by how much it is met or
 * missed, and for a miss what the profile or the trace says the time is.
 */
import { median, percentiles } from '../kit/stats.js';
import { breakdownRows, type Breakdown } from './breakdown.js';
import { f0, find, ms, ok, type ScanReport } from './verdicts.js';

export const ROUND_TRIP_BUDGETS = {
  /** 505 symbols, warm, uncached, POST → completed, p50. */
  uncachedP50Ms: 12,
  /** Cached answer, Server-Timing p50. */
  cachedServerP50Ms: 0.5,
  /** 10,000 symbols, warm, uncached, p50. */
  synthWarmP50Ms: 50,
  /** Worker cold start to first completed scan, 10,000 × 1,260. */
  coldStartMs: 2000,
};

/**
 * The worker's cold start as bench/scan/cold-start.ts measures it (written by the warm-start
 * work): process start to the first completed 10,000-symbol scan, ms, and what it was made of.
 */
export interface ColdStartFigure {
  ms: number;
  /** The floor beside it, e.g. reading the snapshot file alone. */
  floor?: { label: string; ms: number };
  /** What the time went to, for a miss. */
  breakdown?: string;
}

export interface BudgetRow {
  path: string;
  figure: string;
  peer: string;
  budget: string;
  met: boolean | null;
  by: string;
}

const margin = (value: number, budget: number, unit: (n: number) => string) =>
  value <= budget
    ? `by ${unit(budget - value)} (${((1 - value / budget) * 100).toFixed(0)} % under)`
    : `by ${unit(value - budget)} (${(value / budget).toFixed(2)}× the budget)`;
const msUnit = (n: number) => `${ms(n)} ms`;

/**
 * The cold-start row: the hook bench/scan/cold-start.ts plugs its figure into; without it the row
 * says it was not measured in this run.
 */
export function coldStartRow(figure?: ColdStartFigure): BudgetRow {
  const path = 'worker cold start to first completed scan, 10,000 symbols × 1,260 bars';
  const budget = `≤ ${ROUND_TRIP_BUDGETS.coldStartMs / 1000} s`;
  if (!figure)
    return { path, figure: 'not measured in this run', peer: '–', budget, met: null, by: '–' };
  const met = figure.ms <= ROUND_TRIP_BUDGETS.coldStartMs;
  return {
    path,
    figure: `${(figure.ms / 1000).toFixed(2)} s`,
    peer: figure.floor ? `${figure.floor.label}: ${ms(figure.floor.ms)} ms` : '–',
    budget,
    met,
    by:
      margin(figure.ms, ROUND_TRIP_BUDGETS.coldStartMs, msUnit) +
      (!met && figure.breakdown ? `: ${figure.breakdown}` : ''),
  };
}

export interface BudgetInputs {
  report: ScanReport;
  /** Server time of GET /health/live in part 2: the least any request costs on this stack. */
  liveServer: number[];
  /** The trace breakdown of uncached round trips, when the bench took one (a missed budget). */
  breakdown?: Breakdown;
  coldStart?: ColdStartFigure;
}

export function budgetRows({
  report: r,
  liveServer,
  breakdown,
  coldStart,
}: BudgetInputs): BudgetRow[] {
  const rows: BudgetRow[] = [];
  const un = percentiles(r.real.uncached.map((c) => c.ms)).p50;
  const worker = median(r.real.uncached.map((c) => c.metrics.totalMs ?? NaN));
  const engine = median(r.real.uncached.map((c) => c.metrics.computeMs ?? NaN));
  const unMet = un <= ROUND_TRIP_BUDGETS.uncachedP50Ms;
  rows.push({
    path: `scan, ${r.real.symbols} symbols, uncached, warm, POST → completed p50`,
    figure: `${ms(un)} ms`,
    peer: `worker's own time ${ms(worker)} ms (engine ${ms(engine)} ms): the round trip is ${(un / worker).toFixed(2)}× it`,
    budget: `≤ ${ROUND_TRIP_BUDGETS.uncachedP50Ms} ms`,
    met: unMet,
    by:
      margin(un, ROUND_TRIP_BUDGETS.uncachedP50Ms, msUnit) +
      (unMet
        ? ''
        : `; ${ms(un - worker)} ms beyond the worker: ${breakdown ? 'the trace breakdown below says where' : 'no trace breakdown in this run'}`),
  });
  const cached = percentiles(r.real.cached.map((c) => c.serverMs ?? NaN)).p50;
  const live = median(liveServer);
  const caMet = cached <= ROUND_TRIP_BUDGETS.cachedServerP50Ms;
  rows.push({
    path: 'scan, cached, server time p50',
    figure: `${ms(cached)} ms`,
    peer: `GET /health/live on the same api ${ms(live)} ms`,
    budget: `≤ ${ROUND_TRIP_BUDGETS.cachedServerP50Ms} ms`,
    met: caMet,
    by:
      margin(cached, ROUND_TRIP_BUDGETS.cachedServerP50Ms, msUnit) +
      (caMet
        ? ''
        : `: of it ${ms(live)} ms is what any request costs on this stack (Fastify, Nest's routing, logging, metrics), ` +
          `${ms(Math.max(0, cached - live))} ms the route itself — key lookup, the rate limiter (from a lease, its refund too, while far from the budget), validation and hashing of the body — ` +
          'the answer being bytes held in memory (no Redis read, no serialization)'),
  });
  const warm = percentiles(r.synth.warm.map((c) => c.ms)).p50;
  const synthWorker = median(r.synth.warm.map((c) => c.metrics.totalMs ?? NaN));
  const synthEngine = median(r.synth.warm.map((c) => c.metrics.computeMs ?? NaN));
  const inProcess = r.micro[1] ? find(r.micro[1], 'engine')?.timing.ms : undefined;
  const floor = r.micro[1] ? find(r.micro[1], 'floor')?.timing.ms : undefined;
  const inlineWarm = percentiles(r.synth.inline.warm.map((c) => c.ms)).p50;
  const synthMet = warm <= ROUND_TRIP_BUDGETS.synthWarmP50Ms;
  rows.push({
    path: `scan, ${f0(r.synth.cold.symbolsScanned)} symbols, warm, uncached p50`,
    figure: `${ms(warm)} ms`,
    peer:
      `engine in process ${inProcess === undefined ? '–' : `${ms(inProcess)} ms`}, single-pass floor ${floor === undefined ? '–' : `${ms(floor)} ms`} (one core each); ` +
      `in the worker ${ms(synthWorker)} ms (engine ${ms(synthEngine)} ms) on ${r.synth.threads} threads; ` +
      `a \`SCAN_THREADS=1\` worker in the same run ${ms(inlineWarm)} ms`,
    budget: `≤ ${ROUND_TRIP_BUDGETS.synthWarmP50Ms} ms`,
    met: synthMet,
    by:
      margin(warm, ROUND_TRIP_BUDGETS.synthWarmP50Ms, msUnit) +
      (synthMet
        ? ''
        : `: the engine's own ${ms(synthEngine)} ms on one core is ${(synthEngine / ROUND_TRIP_BUDGETS.synthWarmP50Ms).toFixed(1)}× the budget by itself; ` +
          `the worker adds ${ms(synthWorker - synthEngine)} ms, the round trip ${ms(warm - synthWorker)} ms`),
  });
  rows.push(coldStartRow(coldStart));
  return rows;
}

export function renderBudgetTable(inputs: BudgetInputs): string[] {
  const rows = budgetRows(inputs);
  const verdict = (m: boolean | null) => (m === null ? 'not measured' : ok(m));
  return [
    '### Budgets of issue 16 (DESIGN §8): round trip and cached answers',
    '',
    '| path | this run | peer or floor, same run | budget | verdict |',
    '|---|---:|---|---:|---|',
    ...rows.map(
      (x) => `| ${x.path} | ${x.figure} | ${x.peer} | ${x.budget} | ${verdict(x.met)}: ${x.by} |`,
    ),
    '',
    ...(inputs.breakdown
      ? [
          `Where an uncached round trip goes (the missed row above): a traced stack (every span exported to a receiver on loopback) after part 2, ` +
            `${inputs.breakdown.traces} uncached scans; server span p50 ${ms(inputs.breakdown.serverMs)} ms, client p50 ${ms(inputs.breakdown.clientMs)} ms. ` +
            'Spans of one name in one trace are summed; tracing itself adds to each of them.',
          '',
          ...breakdownRows(inputs.breakdown),
          '',
        ]
      : []),
  ];
}
