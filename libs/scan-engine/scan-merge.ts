import { MIN_HISTORY } from './analyze.js';
import { failedFilters } from './filters.js';
import {
  SCAN_DEFAULTS,
  type Analysis,
  type RankedHit,
  type ScanOutcome,
  type ScanParams,
} from './scan.types.js';

/** How many hits a scan whose filters left nothing shows instead (DESIGN §3: "the top 10"). */
export const RELAXED_HITS = 10;

/** A ranked candidate: its analysis, the direction's score it ranks by, the filters it failed. */
export interface ShardEntry {
  score: number;
  symbol: string;
  mask: number;
  analysis: Analysis;
}

/**
 * What a scan over part of a universe knows when it ends (ScanRun.shard): its counts, its best
 * entries passing the filters and, while nothing passed, its best regardless of them. Plain data,
 * so it crosses a worker thread's postMessage as it is.
 */
export interface ScanShard {
  universeSize: number;
  symbolsScanned: number;
  skipped: number;
  passed: number;
  /** Latest last-bar date among the analyzed symbols, -1 when none was analyzed. */
  latest: number;
  /** Best passing entries in rank order, at most maxSymbols. */
  top: ShardEntry[];
  /** Best entries regardless of the filters, in rank order; complete only while `passed` is 0. */
  fallback: ShardEntry[];
}

/** Ranking order: the direction's score descending, then symbol ascending (code-unit order). */
export const ranksBefore = (score: number, symbol: string, other: ShardEntry): boolean =>
  score > other.score || (score === other.score && symbol < other.symbol);

const compare = (a: ShardEntry, b: ShardEntry): number =>
  ranksBefore(a.score, a.symbol, b) ? -1 : ranksBefore(b.score, b.symbol, a) ? 1 : 0;

/**
 * The best `cap` entries of several ranked lists, in rank order. Exact: a symbol is in one list
 * only, and the order (score, then symbol) is total, so the global top `cap` is within the lists'
 * own tops, whatever way the universe was split.
 */
export function mergeTop(lists: readonly (readonly ShardEntry[])[], cap: number): ShardEntry[] {
  if (lists.length === 1) return lists[0]!.slice(0, cap);
  return lists.flat().sort(compare).slice(0, cap);
}

/** Entries as ranked hits (1-based rank), each naming its failed filters when `relaxed`. */
export function rankedHits(list: readonly ShardEntry[], relaxed = false): RankedHit[] {
  return relaxed
    ? list.map((e, k) => ({ ...e.analysis, failedFilters: failedFilters(e.mask), rank: k + 1 }))
    : list.map((e, k) => ({ ...e.analysis, rank: k + 1 }));
}

/**
 * The outcome of a scan from the shards its universe was split into — one shard for a scan run in
 * one piece (ScanRun.result goes through here too, so a split scan cannot word or rank differently).
 * When nothing passed the filters anywhere, the best by the direction's order regardless of them (at
 * most 10, and no more than maxSymbols) with `relaxed: true`; no hits and `relaxed: false` when no
 * symbol could be analyzed at all.
 */
export function scanOutcome(params: ScanParams, shards: readonly ScanShard[]): ScanOutcome {
  const sum = (pick: (s: ScanShard) => number) => shards.reduce((n, s) => n + pick(s), 0);
  const topCap = Math.floor(params.maxSymbols);
  const universeSize = sum((s) => s.universeSize);
  const scanned = sum((s) => s.symbolsScanned);
  const skipped = sum((s) => s.skipped);
  const passed = sum((s) => s.passed);
  const latest = shards.reduce((d, s) => Math.max(d, s.latest), -1);
  // With nothing passed anywhere, every shard's fallback list is complete.
  const fallback =
    passed === 0
      ? mergeTop(
          shards.map((s) => s.fallback),
          Math.min(RELAXED_HITS, topCap),
        )
      : [];
  // Relaxed only when there was something to relax the filters for.
  const relaxed = passed === 0 && fallback.length > 0;
  const hits = relaxed
    ? rankedHits(fallback, true)
    : rankedHits(
        mergeTop(
          shards.map((s) => s.top),
          topCap,
        ),
      );
  const counts = { universeSize, analyzed: scanned - skipped, skipped, passed };
  return {
    hits,
    relaxed,
    statusText: statusText(params, counts, hits.length),
    universeSize,
    symbolsScanned: scanned,
    skippedInsufficientHistory: skipped,
    asOf: latest >= 0 ? latest : null,
  };
}

function statusText(
  params: ScanParams,
  c: { universeSize: number; analyzed: number; skipped: number; passed: number },
  shown: number,
): string {
  const direction = params.direction ?? SCAN_DEFAULTS.direction;
  // A long scan keeps the wording it always had; the other directions name themselves.
  const profile = direction === 'long' ? params.profile : `${params.profile} ${direction}`;
  const order = { long: 'rating', short: 'rating, weakest first', both: 'distance from neutral' }[
    direction
  ];
  const skipped =
    c.skipped > 0 ? ` (${c.skipped} skipped with fewer than ${MIN_HISTORY} bars of history)` : '';
  if (c.universeSize === 0) return 'No symbols to scan';
  if (c.analyzed === 0)
    return `No symbol had the ${MIN_HISTORY} bars of history a scan needs${skipped}`;
  if (c.passed === 0) {
    return `No symbol passed the ${profile} filters; the filters were relaxed to show the top ${shown} of ${c.analyzed} by ${order}${skipped}`;
  }
  const more = c.passed > shown ? `; showing the top ${shown}` : '';
  return `${c.passed} of ${c.analyzed} symbols passed the ${profile} filters${more}${skipped}`;
}
