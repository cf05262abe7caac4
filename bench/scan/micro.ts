/**
 * Part 1 of the scan bench, in process and without a database: the engine (a whole ScanRun) vs
 * the floor (floor.ts) vs the peers (peers.ts) over the same symbols, each timed as the median of
 * several runs after warm-up. Every implementation's values are checked against the engine's
 * before its time is reported, so a fast wrong answer cannot win.
 */
import { analyzeSymbol, ScanRun, type ScanParams } from '#scan-engine';
import type { DataSet } from './data.js';
import { floorScan, SLOT, SLOTS } from './floor.js';
import { peerInput, type Peer, type PeerInput } from './peer.js';
import { median } from '../kit/stats.js';

/** The api's defaults (a scan request with an empty body). */
export const SCAN_PARAMS: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

export interface Timing {
  /** Median wall time of one pass over the set (extrapolated to the whole set when sampled), ms. */
  ms: number;
  /** Fastest pass, ms (same extrapolation). */
  bestMs: number;
  runs: number[];
  symbolsPerSecond: number;
  /** Symbols actually timed when a slow peer ran on a sample; null when the whole set was timed. */
  sample: number | null;
}

export interface Agreement {
  /** Symbols compared. */
  symbols: number;
  /** Indicators (of the 10 the api displays) with at least one symbol off by more than display rounding. */
  mismatches: { indicator: string; symbols: number; worst: string }[];
}

export interface Contender {
  name: string;
  version: string;
  usage: string;
  timing: Timing;
  agreement: Agreement | null;
}

export interface MicroResult {
  label: string;
  symbols: number;
  bars: number;
  analyzed: number;
  contenders: Contender[];
}

function timeRuns(fn: () => void, warmups: number, runs: number): number[] {
  for (let k = 0; k < warmups; k++) fn();
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

const timing = (
  runs: number[],
  symbols: number,
  scale = 1,
  sample: number | null = null,
): Timing => {
  const ms = median(runs) * scale;
  return {
    ms,
    bestMs: Math.min(...runs) * scale,
    runs: runs.map((r) => r * scale),
    symbolsPerSecond: (symbols / ms) * 1000,
    sample,
  };
};

/**
 * The indicators the api shows (Analysis.indicators), derived from the output slots, with their
 * display rounding: an implementation agrees when it is within half a display unit of the
 * engine's rounded value (plus 1e-9 relative, for values sitting on a rounding boundary).
 */
const DISPLAYED: { name: string; unit: number; of: (v: Float64Array, o: number) => number }[] = [
  { name: 'sma20', unit: 1e-4, of: (v, o) => v[o + SLOT.sma20]! },
  { name: 'sma50', unit: 1e-4, of: (v, o) => v[o + SLOT.sma50]! },
  { name: 'sma200', unit: 1e-4, of: (v, o) => v[o + SLOT.sma200]! },
  { name: 'rsi14', unit: 0.01, of: (v, o) => v[o + SLOT.rsi14]! },
  { name: 'macdHist', unit: 1e-4, of: (v, o) => v[o + SLOT.macdHist]! },
  { name: 'atrPct', unit: 0.01, of: (v, o) => (v[o + SLOT.atr14]! / v[o + SLOT.close]!) * 100 },
  { name: 'adx14', unit: 0.01, of: (v, o) => v[o + SLOT.adx14]! },
  { name: 'roc20', unit: 0.01, of: (v, o) => v[o + SLOT.roc20]! },
  {
    name: 'dist52wHigh',
    unit: 0.01,
    of: (v, o) => Math.min(0, (v[o + SLOT.close]! / v[o + SLOT.high252]! - 1) * 100),
  },
  { name: 'avgDollarVolume20', unit: 1, of: (v, o) => v[o + SLOT.avgDollarVolume20]! },
];

/** Compares values (SLOTS per position of `indexes`, NaN where not computed) with the engine's Analysis. */
function agreement(
  set: DataSet,
  indexes: Int32Array,
  values: Float64Array,
  computed: Uint8Array,
): Agreement {
  const stats = new Map<string, { symbols: number; worst: number; example: string }>();
  let symbols = 0;
  for (let p = 0; p < indexes.length; p++) {
    const analysis = analyzeSymbol(set.store, indexes[p]!, SCAN_PARAMS);
    if (!analysis || !computed[p]) continue;
    symbols++;
    const shown = analysis.indicators as unknown as Record<string, number>;
    for (const d of DISPLAYED) {
      const mine = d.of(values, p * SLOTS);
      const theirs = shown[d.name]!;
      const off = Math.abs(mine - theirs) / d.unit;
      if (off <= 0.5 + (1e-9 * Math.abs(theirs)) / d.unit) continue;
      const s = stats.get(d.name) ?? { symbols: 0, worst: 0, example: '' };
      s.symbols++;
      if (!(off <= s.worst)) {
        s.worst = off;
        s.example = `${analysis.symbol}: ${Number.isFinite(mine) ? mine.toPrecision(8) : String(mine)} vs the engine's ${theirs}`;
      }
      stats.set(d.name, s);
    }
  }
  return {
    symbols,
    mismatches: [...stats].map(([indicator, s]) => ({
      indicator,
      symbols: s.symbols,
      worst: s.example,
    })),
  };
}

export interface MicroSettings {
  engineWarmups: number;
  /** Engine and floor passes alternate until both this many passes each and `engineSeconds` have gone by. */
  engineRuns: number;
  engineSeconds: number;
  peerWarmups: number;
  peerRuns: number;
  /** A peer whose whole-set pass is estimated above this runs on `sampleSize` symbols instead, ms. */
  peerFullSetLimitMs: number;
  sampleSize: number;
}

/**
 * Engine and floor over the whole set, then each peer (on a sample when `estimateMs` says a pass
 * over the whole set would take longer than the limit). Returns per-peer ms/symbol for the
 * next, larger set's estimate.
 */
export function runMicro(
  set: DataSet,
  peers: Peer[],
  s: MicroSettings,
  estimateMsPerSymbol: Map<string, number>,
  log: (line: string) => void,
): MicroResult {
  const store = set.store;
  const n = store.symbols.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  let sink = 0;

  const engineRuns: number[] = [];
  const floorRuns: number[] = [];
  const floorOut = new Float64Array(n * SLOTS).fill(NaN);
  let analyzed = 0;
  const engine = () => {
    const run = new ScanRun(store, all, SCAN_PARAMS);
    run.step(Infinity);
    const outcome = run.result();
    analyzed = outcome.symbolsScanned - outcome.skippedInsufficientHistory;
    sink += outcome.hits.length;
  };
  const floor = () => {
    sink += floorScan(store, all, floorOut);
  };
  // Warm both, then alternate engine and floor so that a change of machine load hits both alike.
  timeRuns(engine, s.engineWarmups, 0);
  timeRuns(floor, s.engineWarmups, 0);
  // On a shared machine a pass is now and then slowed by someone else's work: many short passes,
  // interleaved, make the medians robust to that.
  const until = performance.now() + s.engineSeconds * 1000;
  while (engineRuns.length < s.engineRuns || performance.now() < until) {
    engineRuns.push(...timeRuns(engine, 0, 1));
    floorRuns.push(...timeRuns(floor, 0, 1));
  }
  const floorComputed = Uint8Array.from({ length: n }, (_, p) =>
    Number.isNaN(floorOut[p * SLOTS + SLOT.close]!) ? 0 : 1,
  );
  const contenders: Contender[] = [
    {
      name: 'engine',
      version: 'libs/scan-engine',
      usage: '`new ScanRun(store, allIndexes, params).step(Infinity)` + `result()`',
      timing: timing(engineRuns, n),
      agreement: null,
    },
    {
      name: 'floor',
      version: 'bench/scan/floor.ts',
      usage: 'one hand-written pass per symbol, no allocation',
      timing: timing(floorRuns, n),
      agreement: agreement(set, all, floorOut, floorComputed),
    },
  ];
  log(
    `  ${set.label}: engine ${contenders[0]!.timing.ms.toFixed(2)} ms, floor ${contenders[1]!.timing.ms.toFixed(2)} ms (medians of ${engineRuns.length})`,
  );

  for (const peer of peers) {
    const estimate = (estimateMsPerSymbol.get(peer.name) ?? 0) * n;
    const sampled = estimate > s.peerFullSetLimitMs && n > s.sampleSize;
    // An evenly spaced sample: every (n / sampleSize)-th symbol.
    const indexes = sampled
      ? Int32Array.from({ length: s.sampleSize }, (_, k) => Math.floor((k * n) / s.sampleSize))
      : all;
    const inputs: (PeerInput | null)[] = Array.from(indexes, (i) => peerInput(store, i));
    const out = new Float64Array(indexes.length * SLOTS).fill(NaN);
    const pass = () => {
      for (let p = 0; p < inputs.length; p++) {
        const x = inputs[p];
        if (x) peer.run(x, out, p * SLOTS);
      }
    };
    const runs = timeRuns(pass, s.peerWarmups, s.peerRuns);
    const computed = Uint8Array.from(inputs, (x) => (x ? 1 : 0));
    const t = timing(runs, n, sampled ? n / indexes.length : 1, sampled ? indexes.length : null);
    estimateMsPerSymbol.set(peer.name, t.ms / n);
    contenders.push({
      name: peer.name,
      version: peer.version,
      usage: peer.usage,
      timing: t,
      agreement: agreement(set, indexes, out, computed),
    });
    log(
      `  ${set.label}: ${peer.name} ${t.ms.toFixed(0)} ms${sampled ? ` (sample of ${indexes.length}, extrapolated)` : ''}`,
    );
    sink += out[0]! === out[0]! ? 1 : 0;
  }
  if (sink === -1) log('unreachable'); // keeps every pass's result observable
  return { label: set.label, symbols: n, bars: set.bars, analyzed, contenders };
}
