import type { IndicatorSnapshot } from './indicators.js';
import type { Indicators, Signal, Subscores } from './scan.types.js';

/** Weights of trend, momentum, volume, volatility, oscillator and breakout in the TechRating. */
export const WEIGHTS: Readonly<Subscores> = Object.freeze({
  trend: 3,
  momentum: 3,
  volume: 2,
  volatility: 1,
  oscillator: 1,
  breakout: 1,
});
const WEIGHT_SUM = 11;

/** Maps a raw score into [-1, 1]; NaN (an input the symbol lacks, or 0/0) counts as neutral. */
const unit = (x: number): number => (x === x ? (x < -1 ? -1 : x > 1 ? 1 : x) : 0);
/** Rounds to `decimals` places; `+ 0` turns -0 into 0 so JSON and deep equality agree. */
export const roundTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f + 0;
};
/**
 * Rounds to cents. Going through 12 significant digits first removes binary noise, so that
 * 1.005 (stored as 1.00499999…) rounds to 1.01 as a person would.
 */
export const cents = (x: number): number => Math.round(Number((x * 100).toPrecision(12))) / 100 + 0;

/** Subscores (rounded to 3 decimals) and the rating computed from them, reused between symbols. */
export class ScoreCard implements Subscores {
  trend = 0;
  momentum = 0;
  volume = 0;
  volatility = 0;
  oscillator = 0;
  breakout = 0;
  /** 0..100, one decimal. */
  techRating = 50;
}

/**
 * Scores a snapshot into `card`. Each subscore blends a few normalized readings; distances are
 * measured in ATRs (or ATR percent) so that a 2 % move means more for a utility than for a
 * biotech. See docs/scan.md for each formula and why it is in the rating.
 */
export function scoreSnapshot(s: IndicatorSnapshot, card: ScoreCard): ScoreCard {
  const atr = s.atr14;
  const c = s.close;

  // Trend: where the close sits against the 50- and 200-day averages, whether those are stacked
  // (golden cross), and the ADX direction weighted by its strength (a trend ADX cannot see is weak).
  const diSum = s.plusDI14 + s.minusDI14;
  const direction = diSum > 0 ? (s.plusDI14 - s.minusDI14) / diSum : 0;
  const adxStrength = s.adx14 >= 25 ? 1 : s.adx14 / 25;
  card.trend = roundTo(
    0.3 * unit((c - s.sma50) / (2 * atr)) +
      0.3 * unit((c - s.sma200) / (4 * atr)) +
      0.2 * unit((s.sma50 - s.sma200) / (2 * atr)) +
      0.2 * unit(2 * direction) * unit(adxStrength),
    3,
  );

  // Momentum: returns over 1, 3 and 6 months in units of the move volatility alone would explain
  // (ATR % × √days), and the MACD histogram against the ATR.
  const p = s.atrPct;
  card.momentum = roundTo(
    0.3 * unit(s.roc20 / (p * Math.sqrt(20))) +
      0.2 * unit(s.roc60 / (p * Math.sqrt(60))) +
      0.2 * unit(s.roc120 / (p * Math.sqrt(120))) +
      0.3 * unit((5 * s.macdHist) / atr),
    3,
  );

  // Volume: whether volume comes on up days or down days (20-day balance), and today's spike
  // signed by today's direction (a 2.5× spike saturates).
  const today = c > s.prevClose ? 1 : c < s.prevClose ? -1 : 0;
  const spike = s.volumeSpike > 1 ? unit((s.volumeSpike - 1) / 1.5) : 0;
  card.volume = roundTo(0.6 * unit(2 * s.upDownVolume20) + 0.4 * today * spike, 3);

  // Volatility: calm (ATR 1 % of price → +1, 3 % → 0, 5 % → -1) and contracting volatility favour
  // a long entry; expanding volatility tends to come with selling.
  const contraction = s.atr14Prior > 0 ? (1 - atr / s.atr14Prior) / 0.3 : NaN;
  card.volatility = roundTo(0.5 * unit((3 - p) / 2) + 0.5 * unit(contraction), 3);

  // Oscillator: RSI and Bollinger %B read as momentum inside their normal range and fading back to
  // neutral when stretched (overbought or oversold).
  const width = s.bbUpper - s.bbLower;
  const percentB = width > 0 ? (c - s.bbLower) / width : 0.5;
  card.oscillator = roundTo(
    0.6 * stretched((s.rsi14 - 50) / 20, 0.75) + 0.4 * stretched(2 * percentB - 1, 0.5),
    3,
  );

  // Breakout: closeness to the 52-week high (4 ATR % below it is neutral) and the position in the
  // prior 20-day channel (a close above its high is a breakout).
  const channel = s.channelHigh20 - s.channelLow20;
  card.breakout = roundTo(
    0.5 * unit(1 + s.dist52wHigh / (4 * p)) +
      0.5 * (channel > 0 ? unit((2 * (c - s.channelLow20)) / channel - 1) : 0),
    3,
  );

  const weighted =
    WEIGHTS.trend * card.trend +
    WEIGHTS.momentum * card.momentum +
    WEIGHTS.volume * card.volume +
    WEIGHTS.volatility * card.volatility +
    WEIGHTS.oscillator * card.oscillator +
    WEIGHTS.breakout * card.breakout;
  card.techRating = roundTo(50 + (50 * weighted) / WEIGHT_SUM, 1);
  return card;
}

/**
 * A reading x that is ±1 at the edge of its normal range: inside it counts as is; beyond it fades
 * linearly to 0 over `fade` more units, and stays 0 past that (stretched is not a reversal signal).
 */
function stretched(x: number, fade: number): number {
  if (x !== x) return 0;
  const a = Math.abs(x);
  if (a <= 1) return x;
  return Math.sign(x) * Math.max(0, 1 - (a - 1) / fade);
}

/** Signal for a (rounded) TechRating: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, else Avoid. */
export function signalFor(techRating: number): Signal {
  if (techRating >= 75) return 'Strong Long';
  if (techRating >= 60) return 'Long';
  if (techRating <= 25) return 'Strong Short';
  if (techRating <= 40) return 'Short';
  return 'Avoid';
}

/** The public indicator values, rounded for display: prices to 4 decimals, percents and oscillators to 2. */
export function publicIndicators(s: IndicatorSnapshot): Indicators {
  return {
    close: roundTo(s.close, 4),
    sma20: roundTo(s.sma20, 4),
    sma50: roundTo(s.sma50, 4),
    sma200: roundTo(s.sma200, 4),
    rsi14: roundTo(s.rsi14, 2),
    macdHist: roundTo(s.macdHist, 4),
    atrPct: roundTo(s.atrPct, 2),
    adx14: roundTo(s.adx14, 2),
    roc20: roundTo(s.roc20, 2),
    dist52wHigh: roundTo(s.dist52wHigh, 2),
    avgDollarVolume20: Math.round(s.avgDollarVolume20),
  };
}

/** Rounded values the filters compare, so a listed symbol never shows a value that fails them. */
export const filterValues = {
  close: (s: IndicatorSnapshot) => roundTo(s.close, 4),
  atrPct: (s: IndicatorSnapshot) => roundTo(s.atrPct, 2),
  avgDollarVolume20: (s: IndicatorSnapshot) => Math.round(s.avgDollarVolume20),
};
