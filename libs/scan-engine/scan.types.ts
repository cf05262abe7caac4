/** The risk profiles, strictest first: the one list every validator, schema and parser uses. */
export const PROFILE_NAMES = ['conservative', 'balanced', 'aggressive'] as const;

/** Risk profile of a scan: how liquid, calm and well rated a symbol must be to be listed. */
export type Profile = (typeof PROFILE_NAMES)[number];

export const isProfile = (value: unknown): value is Profile =>
  (PROFILE_NAMES as readonly unknown[]).includes(value);

/** Thresholds of one profile. */
export interface ProfileThresholds {
  /** Lowest last close, USD. */
  minPrice: number;
  /** Highest ATR 14 as a percent of the close (2.5 means 2.5 %). */
  maxAtrPct: number;
  /** Lowest 20-day average of close × volume, USD. */
  minAvgDollarVolume: number;
  /** Lowest TechRating when the request names none. */
  minTechRating: number;
}

/** The profiles of DESIGN §3: conservative 15/2.5/10M/65, balanced 10/3.5/5M/55, aggressive 5/6/3M/45. */
export const PROFILES: Readonly<Record<Profile, Readonly<ProfileThresholds>>> = Object.freeze({
  conservative: Object.freeze({
    minPrice: 15,
    maxAtrPct: 2.5,
    minAvgDollarVolume: 10e6,
    minTechRating: 65,
  }),
  balanced: Object.freeze({
    minPrice: 10,
    maxAtrPct: 3.5,
    minAvgDollarVolume: 5e6,
    minTechRating: 55,
  }),
  aggressive: Object.freeze({
    minPrice: 5,
    maxAtrPct: 6,
    minAvgDollarVolume: 3e6,
    minTechRating: 45,
  }),
});

/**
 * Which side a scan looks for: `long` lists the strongest ratings first, `short` the weakest first,
 * `both` the farthest from neutral 50 first. The one list the DTOs, the normalizer and the payload
 * check use.
 */
export const DIRECTIONS = ['long', 'short', 'both'] as const;

export type Direction = (typeof DIRECTIONS)[number];

export const isDirection = (value: unknown): value is Direction =>
  (DIRECTIONS as readonly unknown[]).includes(value);

/** Bounds of `riskPct` (percent of the account risked per trade): 0.1 % to 5 %. */
export const RISK_PCT_RANGE = Object.freeze({ min: 0.1, max: 5 });

/**
 * What a request gets when it names nothing (DESIGN §3): the profile, the number of hits and the
 * trade plan's sizing. Scans and the one-symbol analysis both start from these.
 */
export const SCAN_DEFAULTS = Object.freeze({
  profile: 'balanced' as Profile,
  direction: 'long' as Direction,
  maxSymbols: 25,
  /** USD. */
  accountSize: 10_000,
  /** Percent of the account (1 means 1 %). */
  riskPct: 1,
  targetRR: 2,
});

/** What a scan asks for; the api validates ranges before the engine sees them. */
export interface ScanParams {
  profile: Profile;
  /** Which side to look for; default `long`. */
  direction?: Direction;
  /**
   * Overrides the profile's minimum TechRating (0..100). For `short` it bounds the mirrored rating
   * (100 − rating), for `both` the distance from neutral (50 + |rating − 50|).
   */
  minTechRating?: number;
  /** How many ranked hits to return (≥ 1). */
  maxSymbols: number;
  /** YYYYMMDD, inclusive: only bars on or before it are used; undefined = each symbol's latest bar. */
  asOf?: number;
  /** Account size in USD, for position sizing. */
  accountSize: number;
  /** Percent of the account risked per trade (1 means 1 %). */
  riskPct: number;
  /** Reward-to-risk ratio of the target (2 means the target is twice as far as the stop). */
  targetRR: number;
}

/** Indicator values at the last bar used. Prices USD; atrPct, roc20, dist52wHigh in percent. */
export interface Indicators {
  close: number;
  sma20: number;
  sma50: number;
  sma200: number;
  /** RSI 14, Wilder smoothing, 0..100. */
  rsi14: number;
  /** MACD 12/26/9 histogram (MACD line − signal line), USD. */
  macdHist: number;
  /** ATR 14 (Wilder) as a percent of the close. */
  atrPct: number;
  /** ADX 14, 0..100. */
  adx14: number;
  /** 20-bar rate of change, percent. */
  roc20: number;
  /** Percent below the highest high of the last 252 bars, ≤ 0. */
  dist52wHigh: number;
  /** Mean of close × volume over the last 20 bars, USD. */
  avgDollarVolume20: number;
}

/** The six components of the TechRating, each in [-1, 1] (positive = bullish). */
export interface Subscores {
  trend: number;
  momentum: number;
  volume: number;
  volatility: number;
  oscillator: number;
  breakout: number;
}

/** What the rating says to do: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, else Avoid. */
export type Signal = 'Strong Long' | 'Long' | 'Avoid' | 'Short' | 'Strong Short';

/** The side of a trade plan: long for Long and Strong Long, short for Short and Strong Short. */
export type PlanSide = 'long' | 'short';

/**
 * A trade plan sized by risk; prices rounded to cents. Long: stop below the entry, target above;
 * short: stop above, target below.
 */
export interface TradePlan {
  side: PlanSide;
  entry: number;
  stop: number;
  target: number;
  /** Whole shares; never more than the account buys at the entry (accountSize / entry). */
  shares: number;
  /** True when the risk budget asked for more shares than the account buys, so fewer are shown. */
  capped: boolean;
  /** Why there are no shares; present exactly when `shares` is 0. */
  reason?: string;
}

/** The filters of a scan, by the name a hit that failed them lists in `failedFilters`. */
export const FILTER_NAMES = [
  'minPrice',
  'maxAtrPct',
  'minAvgDollarVolume',
  'minTechRating',
  'direction',
] as const;

export type FilterName = (typeof FILTER_NAMES)[number];

/** One symbol's analysis at one date. */
export interface Analysis {
  symbol: string;
  /** YYYYMMDD of the last bar used. */
  asOf: number;
  signal: Signal;
  /** 0..100, 50 neutral, one decimal. */
  techRating: number;
  subscores: Subscores;
  indicators: Indicators;
  /** null for Avoid: a neutral rating gives no side to trade (the rationale says so). */
  plan: TradePlan | null;
  /** One short line naming the strongest reasons. */
  rationale: string;
  /**
   * The filters this symbol does not meet: on every hit of a relaxed scan (they all failed one),
   * and always on a one-symbol analysis (empty when a scan would list it). Absent otherwise.
   */
  failedFilters?: FilterName[];
}

/** An analysis with its 1-based place in a scan's ranking. */
export interface RankedHit extends Analysis {
  rank: number;
}

/** The result of a finished scan. */
export interface ScanOutcome {
  hits: RankedHit[];
  /**
   * True when nothing passed the filters and `hits` are the best by the direction's order
   * regardless; each then lists its `failedFilters`.
   */
  relaxed: boolean;
  statusText: string;
  universeSize: number;
  symbolsScanned: number;
  skippedInsufficientHistory: number;
  /** Latest last-bar date (YYYYMMDD) among the analyzed symbols; null when none was analyzed. */
  asOf: number | null;
}
