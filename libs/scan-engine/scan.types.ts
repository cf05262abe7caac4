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
 * What a request gets when it names nothing (DESIGN §3): the profile, the number of hits and the
 * trade plan's sizing. Scans and the one-symbol analysis both start from these.
 */
export const SCAN_DEFAULTS = Object.freeze({
  profile: 'balanced' as Profile,
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
  /** Overrides the profile's minimum TechRating (0..100). */
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

/** A long trade plan sized by risk; prices rounded to cents. */
export interface TradePlan {
  entry: number;
  stop: number;
  target: number;
  shares: number;
}

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
  plan: TradePlan;
  /** One short line naming the strongest reasons. */
  rationale: string;
}

/** An analysis with its 1-based place in a scan's ranking. */
export interface RankedHit extends Analysis {
  rank: number;
}

/** The result of a finished scan. */
export interface ScanOutcome {
  hits: RankedHit[];
  /** True when nothing passed the filters and `hits` is the best-rated symbols regardless. */
  relaxed: boolean;
  statusText: string;
  universeSize: number;
  symbolsScanned: number;
  skippedInsufficientHistory: number;
  /** Latest last-bar date (YYYYMMDD) among the analyzed symbols; null when none was analyzed. */
  asOf: number | null;
}
