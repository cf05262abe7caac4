import type { BarStore } from './bar-store.js';

import {
  ADX,
  ADX_FIRST,
  advance,
  ATR,
  ATR_PRIOR,
  DM_TR,
  EMA,
  FAST,
  GAIN,
  isZero,
  LOSS,
  MINUS_DM,
  PLUS_DM,
  SIGNAL,
  SIGNAL_FIRST,
  SLOW,
  STATE_SLOTS,
  WARM_UP,
  warmUp,
  WILDER_FIRST,
} from './recursions.js';

const BB_PERIOD = 20;
const BB_DEVIATIONS = 2;
const YEAR_BARS = 252;
const VOLUME_PERIOD = 20;
/** How far back the ATR used to judge contracting or expanding volatility is taken, in bars. */
export const ATR_LOOKBACK = 20;

/**
 * Bars the recursive indicators (EMA, MACD, RSI, ATR, ADX) are run over, ending at the last bar:
 * they are seeded TA-Lib's way at the start of this window, or at the symbol's first bar when it
 * has fewer. A seed's influence fades by 13/14 a bar (Wilder) or faster (EMAs), to 5e-20 after 600
 * bars, so the values equal those of a run from the first bar to double precision (the golden tests
 * check it), while a symbol's cost stays bounded however long its history grows.
 */
export const RECURSION_WINDOW = 600;

/** Scratch state of the recursive indicators; the engine is single-threaded and not re-entrant. */
const state = new Float64Array(STATE_SLOTS);

/**
 * Indicator values of one symbol at one bar (the last bar given to {@link computeIndicators}).
 * A value is NaN when the symbol has too few bars for it. Reused between symbols: the engine
 * allocates one per scan, not one per symbol or bar.
 */
export class IndicatorSnapshot {
  /** Bars used (from the symbol's first bar up to and including the last one). */
  bars = 0;
  /** YYYYMMDD of the last bar used. */
  date = 0;
  close = NaN;
  prevClose = NaN;
  sma20 = NaN;
  sma50 = NaN;
  sma200 = NaN;
  ema20 = NaN;
  macd = NaN;
  macdSignal = NaN;
  macdHist = NaN;
  rsi14 = NaN;
  atr14 = NaN;
  /** ATR 14 as it was {@link ATR_LOOKBACK} bars earlier. */
  atr14Prior = NaN;
  /** ATR 14 as a percent of the close. */
  atrPct = NaN;
  bbUpper = NaN;
  bbMiddle = NaN;
  bbLower = NaN;
  adx14 = NaN;
  plusDI14 = NaN;
  minusDI14 = NaN;
  /** Rates of change in percent. */
  roc20 = NaN;
  roc60 = NaN;
  roc120 = NaN;
  /** Highest high of the last 252 bars (fewer when the symbol has fewer), today included. */
  high252 = NaN;
  /** Percent from the 52-week high, ≤ 0. */
  dist52wHigh = NaN;
  /** Mean of close × volume over the last 20 bars, today included, USD. */
  avgDollarVolume20 = NaN;
  /** Mean volume of the 20 bars before today. */
  avgVolume20Prior = NaN;
  /** Today's volume / avgVolume20Prior; 1 when that average is 0. */
  volumeSpike = NaN;
  /** (up-day volume − down-day volume) / total volume over the last 20 bars, in [-1, 1]. */
  upDownVolume20 = NaN;
  /** Highest high and lowest low of the 20 bars before today (a Donchian channel). */
  channelHigh20 = NaN;
  channelLow20 = NaN;
}

/**
 * Computes every indicator of the bars first..last (inclusive rows of one symbol) into `out`, in
 * one pass over the typed arrays for the recursive indicators (the last {@link RECURSION_WINDOW}
 * bars) and short loops over the trailing windows for the rest. Every value depends only on bars up
 * to `last`: point-in-time by construction.
 */
export function computeIndicators(
  store: BarStore,
  first: number,
  last: number,
  out: IndicatorSnapshot,
): IndicatorSnapshot {
  const n = last - first + 1;
  if (n <= 0) return resetSnapshot(out);
  const { close, high, low } = store;
  const start = Math.max(first, last - RECURSION_WINDOW + 1);
  const recursed = last - start + 1;
  const atrRow = last - ATR_LOOKBACK;
  const warmEnd = Math.min(last, start + WARM_UP - 1);
  warmUp(close, high, low, start, warmEnd, atrRow, state);
  if (atrRow > warmEnd) {
    // Split around atrRow to record the ATR there without a per-bar test in the hot loop.
    advance(close, high, low, warmEnd + 1, atrRow, state);
    state[ATR_PRIOR] = state[ATR]!;
    advance(close, high, low, atrRow + 1, last, state);
  } else if (last > warmEnd) advance(close, high, low, warmEnd + 1, last, state);

  const c = close[last]!;
  const st = state;
  out.bars = n;
  out.date = store.dates[last]!;
  out.close = c;
  out.prevClose = n > 1 ? close[last - 1]! : NaN;
  out.ema20 = st[EMA]!;
  // Like TA-Lib, the MACD line is reported from the bar its signal line starts (bar 33), though it
  // exists from bar 25.
  const macdReady = recursed > SIGNAL_FIRST;
  out.macd = macdReady ? st[FAST]! - st[SLOW]! : NaN;
  out.macdSignal = macdReady ? st[SIGNAL]! : NaN;
  out.macdHist = macdReady ? out.macd - out.macdSignal : NaN;
  const gain = st[GAIN]!,
    loss = st[LOSS]!;
  out.rsi14 =
    recursed > WILDER_FIRST ? (isZero(gain + loss) ? 0 : 100 * (gain / (gain + loss))) : NaN;
  out.atr14 = st[ATR]!;
  out.atr14Prior = st[ATR_PRIOR]!;
  out.atrPct = (st[ATR]! / c) * 100;
  out.adx14 = recursed > ADX_FIRST ? st[ADX]! : NaN;
  const dmTR = st[DM_TR]!;
  const wilder = recursed > WILDER_FIRST;
  out.plusDI14 = wilder ? (isZero(dmTR) ? 0 : 100 * (st[PLUS_DM]! / dmTR)) : NaN;
  out.minusDI14 = wilder ? (isZero(dmTR) ? 0 : 100 * (st[MINUS_DM]! / dmTR)) : NaN;
  computeWindows(store, first, last, out);
  return out;
}

/** Mean of column[from..to], or NaN when the window starts before the symbol's first row. */
function mean(column: Float64Array, from: number, to: number, first: number): number {
  if (from < first) return NaN;
  let sum = 0;
  for (let k = from; k <= to; k++) sum += column[k]!;
  return sum / (to - from + 1);
}

function rateOfChange(close: Float64Array, first: number, last: number, period: number): number {
  if (last - period < first) return NaN;
  const past = close[last - period]!;
  // TA-Lib answers 0 rather than Infinity for a zero base price.
  return past !== 0 ? (close[last]! / past - 1) * 100 : 0;
}

/** The indicators only needed at the last bar: short loops over trailing windows. */
function computeWindows(
  store: BarStore,
  first: number,
  last: number,
  out: IndicatorSnapshot,
): void {
  const { close, high, low, volume } = store;
  const c = close[last]!;
  out.sma20 = mean(close, last - 19, last, first);
  out.sma50 = mean(close, last - 49, last, first);
  out.sma200 = mean(close, last - 199, last, first);

  // Bollinger: population standard deviation as TA-Lib, but two-pass (TA-Lib subtracts running sums
  // of squares, which loses digits when the deviation is small against the price).
  const mid = out.sma20;
  let squares = 0;
  if (mid === mid)
    for (let k = last - BB_PERIOD + 1; k <= last; k++)
      squares += (close[k]! - mid) * (close[k]! - mid);
  const band = BB_DEVIATIONS * Math.sqrt(squares / BB_PERIOD);
  out.bbMiddle = mid;
  out.bbUpper = mid + band;
  out.bbLower = mid - band;

  out.roc20 = rateOfChange(close, first, last, 20);
  out.roc60 = rateOfChange(close, first, last, 60);
  out.roc120 = rateOfChange(close, first, last, 120);

  let top = -Infinity;
  for (let k = Math.max(first, last - YEAR_BARS + 1); k <= last; k++)
    if (high[k]! > top) top = high[k]!;
  out.high252 = top;
  // Clamped: a raw bar can close above its own high (a misprint), which is no distance "above" the high.
  out.dist52wHigh = Math.min(0, (c / top - 1) * 100);

  let dollars = NaN;
  if (last - VOLUME_PERIOD + 1 >= first) {
    dollars = 0;
    for (let k = last - VOLUME_PERIOD + 1; k <= last; k++) dollars += close[k]! * volume[k]!;
  }
  out.avgDollarVolume20 = dollars / VOLUME_PERIOD;

  // Windows of the 20 bars before today: today's own spike or breakout must not raise its baseline.
  const from = last - VOLUME_PERIOD;
  out.avgVolume20Prior = mean(volume, from, last - 1, first);
  out.volumeSpike =
    out.avgVolume20Prior > 0
      ? volume[last]! / out.avgVolume20Prior
      : out.avgVolume20Prior === 0
        ? 1
        : NaN;
  let hi = NaN,
    lo = NaN,
    net = 0,
    total = 0;
  if (from >= first) {
    hi = -Infinity;
    lo = Infinity;
    for (let k = from; k < last; k++) {
      if (high[k]! > hi) hi = high[k]!;
      if (low[k]! < lo) lo = low[k]!;
    }
    for (let k = from + 1; k <= last; k++) {
      const v = volume[k]!;
      total += v;
      if (close[k]! > close[k - 1]!) net += v;
      else if (close[k]! < close[k - 1]!) net -= v;
    }
  }
  out.channelHigh20 = hi;
  out.channelLow20 = lo;
  out.upDownVolume20 = from < first ? NaN : total > 0 ? net / total : 0;
}

function resetSnapshot(out: IndicatorSnapshot): IndicatorSnapshot {
  const fresh = new IndicatorSnapshot();
  Object.assign(out, fresh);
  return out;
}
