import { SymbolEvaluator } from './analyze.js';
import type { BarStore } from './bar-store.js';
import { directionScore, filterMask } from './filters.js';
import {
  RELAXED_HITS,
  rankedHits,
  ranksBefore,
  scanOutcome,
  type ScanShard,
  type ShardEntry as Entry,
} from './scan-merge.js';
import { filterValues } from './scoring.js';
import {
  isDirection,
  PROFILES,
  SCAN_DEFAULTS,
  type Analysis,
  type Direction,
  type ProfileThresholds,
  type RankedHit,
  type ScanOutcome,
  type ScanParams,
} from './scan.types.js';

export { RELAXED_HITS };

/**
 * Inserts an entry for `make()` into `list` (sorted by rank, at most `cap` long) if it ranks high
 * enough; `make` is only called then, so a symbol that makes no list costs no allocation.
 */
function offer(
  list: Entry[],
  cap: number,
  score: number,
  symbol: string,
  mask: number,
  make: () => Analysis,
): boolean {
  if (list.length >= cap && !ranksBefore(score, symbol, list[list.length - 1]!)) return false;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranksBefore(score, symbol, list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  list.splice(lo, 0, { score, symbol, mask, analysis: make() });
  if (list.length > cap) list.pop();
  return true;
}

/**
 * A scan over a set of symbol indexes, advanced in chunks by the caller (who yields to the event
 * loop between chunks). Pure and deterministic: the same store, indexes and params give the same
 * outcome however the work is chunked.
 */
export class ScanRun {
  /** Symbols to scan. */
  readonly universeSize: number;
  private readonly indexes: Int32Array;
  private readonly evaluator: SymbolEvaluator;
  private readonly thresholds: ProfileThresholds;
  private readonly minRating: number;
  private readonly direction: Direction;
  private readonly topCap: number;
  private readonly relaxedCap: number;
  private readonly top: Entry[] = [];
  private readonly fallback: Entry[] = [];
  private next = 0;
  private skipped = 0;
  private passed = 0;
  private latest = -1;
  private partial: RankedHit[] | null = null;
  private outcome: ScanOutcome | null = null;

  /**
   * @param symbolIndexes indexes into `store.symbols`, each at most once; scanned in this order
   * (the order does not change the outcome).
   * @throws RangeError on an unknown profile or direction, maxSymbols below 1, or a bad or
   * repeated index.
   */
  constructor(
    private readonly store: BarStore,
    symbolIndexes: ArrayLike<number>,
    private readonly params: ScanParams,
  ) {
    const thresholds = PROFILES[params.profile];
    if (!thresholds) throw new RangeError(`unknown profile ${String(params.profile)}`);
    if (!(params.maxSymbols >= 1))
      throw new RangeError(`maxSymbols must be at least 1, got ${params.maxSymbols}`);
    this.thresholds = thresholds;
    this.minRating = params.minTechRating ?? thresholds.minTechRating;
    this.direction = params.direction ?? SCAN_DEFAULTS.direction;
    if (!isDirection(this.direction))
      throw new RangeError(`unknown direction ${String(params.direction)}`);
    this.topCap = Math.floor(params.maxSymbols);
    this.relaxedCap = Math.min(RELAXED_HITS, this.topCap);
    this.universeSize = symbolIndexes.length;
    this.indexes = Int32Array.from(symbolIndexes);
    const seen = new Uint8Array(store.symbols.length);
    for (const i of this.indexes) {
      if (i < 0 || i >= seen.length || seen[i])
        throw new RangeError(`symbol index ${i} is out of range or repeated`);
      seen[i] = 1;
    }
    this.evaluator = new SymbolEvaluator(store);
  }

  /** Symbols processed so far, analyzed or skipped. */
  get symbolsScanned(): number {
    return this.next;
  }

  /** Symbols skipped so far for having fewer than MIN_HISTORY bars by asOf. */
  get skippedInsufficientHistory(): number {
    return this.skipped;
  }

  /** True once every symbol has been processed. */
  get done(): boolean {
    return this.next >= this.universeSize;
  }

  /** Processes up to `count` more symbols; returns true when finished. */
  step(count: number): boolean {
    const end = Math.min(this.universeSize, this.next + Math.max(0, Math.floor(count)));
    const { evaluator, params, thresholds } = this;
    const { snapshot, card } = evaluator;
    for (; this.next < end; this.next++) {
      const i = this.indexes[this.next]!;
      if (!evaluator.evaluate(i, params.asOf)) {
        this.skipped++;
        continue;
      }
      if (snapshot.date > this.latest) this.latest = snapshot.date;
      const symbol = this.store.symbols[i]!;
      const rating = card.techRating;
      const score = directionScore(rating, this.direction);
      let analysis: Analysis | undefined;
      const make = () => (analysis ??= evaluator.toAnalysis(i, params));
      const mask = filterMask(
        {
          close: filterValues.close(snapshot),
          atrPct: filterValues.atrPct(snapshot),
          avgDollarVolume20: filterValues.avgDollarVolume20(snapshot),
          techRating: rating,
        },
        thresholds,
        this.minRating,
        this.direction,
      );
      if (mask === 0) {
        this.passed++;
        if (offer(this.top, this.topCap, score, symbol, 0, make)) this.partial = null;
      }
      // The relaxed list only matters while nothing has passed.
      if (this.passed === 0) offer(this.fallback, this.relaxedCap, score, symbol, mask, make);
    }
    return this.done;
  }

  /**
   * Current best hits passing the filters, ranked (the direction's score desc, then symbol asc), at most
   * maxSymbols. Cached between changes, so calling it after every chunk is cheap.
   */
  partialTop(): RankedHit[] {
    return (this.partial ??= rankedHits(this.top));
  }

  /**
   * What this run knows so far, as plain data for scanOutcome (or a merge with the other shards of
   * a split universe); `limit` caps the passing entries (a progress frame needs only its top few).
   */
  shard(limit = Infinity): ScanShard {
    return {
      universeSize: this.universeSize,
      symbolsScanned: this.next,
      skipped: this.skipped,
      passed: this.passed,
      latest: this.latest,
      top: this.top.slice(0, limit),
      fallback: this.fallback.slice(),
    };
  }

  /**
   * The final result (scanOutcome of this run as its only shard). When nothing passed the filters,
   * the best by the direction's order regardless of them (at most 10, and no more than maxSymbols,
   * each with its `failedFilters`) with `relaxed: true`; no hits and `relaxed: false` when no
   * symbol could be analyzed at all.
   * @throws Error when called before the scan is done.
   */
  result(): ScanOutcome {
    if (!this.done)
      throw new Error(`scan not finished: ${this.next} of ${this.universeSize} symbols processed`);
    return (this.outcome ??= scanOutcome(this.params, [this.shard()]));
  }
}
