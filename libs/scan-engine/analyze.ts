import { endRowAsOf, type BarStore } from './bar-store.js';
import { failedFilters, filterMask } from './filters.js';
import { computeIndicators, IndicatorSnapshot } from './indicators.js';
import { planFor } from './plan.js';
import { rationale } from './rationale.js';
import { publicIndicators, ScoreCard, scoreSnapshot, signalFor } from './scoring.js';
import { PROFILES, SCAN_DEFAULTS, type Analysis, type ScanParams } from './scan.types.js';

/**
 * Bars a symbol needs by `asOf` to be analyzed: 200, the window of the longest average (SMA 200).
 * Every other indicator is defined by then (ROC 120 needs 121 bars, the MACD signal 34, ADX 28);
 * the 52-week high uses the bars there are when fewer than 252.
 */
export const MIN_HISTORY = 200;

/**
 * Scratch state for analyzing symbols one after another without allocating per symbol: the scan
 * loop only builds an {@link Analysis} for the symbols that make a ranking.
 */
export class SymbolEvaluator {
  readonly snapshot = new IndicatorSnapshot();
  readonly card = new ScoreCard();

  constructor(private readonly store: BarStore) {}

  /**
   * Computes indicators and scores of symbol i at `asOf` into the scratch state; false when the
   * symbol has fewer than MIN_HISTORY bars by then, or a last close that is not a positive price
   * (no percent or plan can be computed from it).
   */
  evaluate(i: number, asOf: number | undefined): boolean {
    const first = this.store.offsets[i]!;
    const last = endRowAsOf(this.store, i, asOf);
    if (last - first + 1 < MIN_HISTORY) return false;
    computeIndicators(this.store, first, last, this.snapshot);
    if (!(this.snapshot.close > 0) || !Number.isFinite(this.snapshot.close)) return false;
    scoreSnapshot(this.snapshot, this.card);
    return true;
  }

  /** Builds the Analysis of the symbol last evaluated. */
  toAnalysis(i: number, params: ScanParams): Analysis {
    const s = this.snapshot;
    const c = this.card;
    const signal = signalFor(c.techRating);
    const plan = planFor(
      signal,
      s.close,
      s.atr14,
      params.accountSize,
      params.riskPct,
      params.targetRR,
    );
    const why = rationale(s, c);
    return {
      symbol: this.store.symbols[i]!,
      asOf: s.date,
      signal,
      techRating: c.techRating,
      subscores: {
        trend: c.trend,
        momentum: c.momentum,
        volume: c.volume,
        volatility: c.volatility,
        oscillator: c.oscillator,
        breakout: c.breakout,
      },
      indicators: publicIndicators(s),
      plan,
      // An Avoid hit has no plan; the line says why before the reasons for the rating.
      rationale: plan
        ? why
        : `No trade plan: a rating of ${c.techRating} is neutral (Avoid is above 40 and below 60). ${why}`,
    };
  }
}

/**
 * Analyzes symbol index i using its bars up to `params.asOf` (inclusive; undefined = its latest).
 * The plan follows the signal; `failedFilters` names the filters of the params' profile, rating and
 * direction that a scan would turn the symbol away by (empty: a scan lists it). `maxSymbols` does
 * not matter here. Returns null when the symbol has fewer than
 * {@link MIN_HISTORY} bars by then (or a last close that is not positive).
 * @throws RangeError when i is not a symbol index of the store.
 */
export function analyzeSymbol(store: BarStore, i: number, params: ScanParams): Analysis | null {
  if (!Number.isInteger(i) || i < 0 || i >= store.symbols.length)
    throw new RangeError(`no symbol index ${i} in a store of ${store.symbols.length}`);
  const evaluator = new SymbolEvaluator(store);
  if (!evaluator.evaluate(i, params.asOf)) return null;
  const analysis = evaluator.toAnalysis(i, params);
  const thresholds = PROFILES[params.profile];
  const mask = filterMask(
    { ...analysis.indicators, techRating: analysis.techRating },
    thresholds,
    params.minTechRating ?? thresholds.minTechRating,
    params.direction ?? SCAN_DEFAULTS.direction,
  );
  return { ...analysis, failedFilters: failedFilters(mask) };
}
