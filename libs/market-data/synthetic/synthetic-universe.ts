import { mulberry32 } from '#random';
/**
 * Deterministic synthetic daily bars for benchmarks and fault tests: a geometric random walk per
 * symbol with its own start price, drift, volatility and dollar volume, on a weekday calendar that
 * ends where the embedded data set ends, so scans over a synthetic universe behave like scans over
 * the real one. Plain TypeScript: no I/O, no clock; the same (seed, index, bars) always gives the
 * same series, on any machine.
 */

/** Last bar date of every synthetic series: the last day of the embedded S&P 500 set. */
export const SYNTHETIC_END_DATE = '2018-02-07';

/** Symbols are `SYN00001` … `SYN99999`: valid item symbols that cannot be real tickers. */
export const MAX_SYNTHETIC_SYMBOLS = 99_999;

/**
 * One seed per symbol from the universe seed and the symbol's index (the murmur3 finalizer over
 * both), so symbol n's series does not depend on how many symbols are generated alongside it.
 */
export function symbolSeed(seed: number, index: number): number {
  let h = (seed >>> 0) ^ Math.imul(index >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `SYN00001` for index 1. */
export function syntheticSymbol(index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > MAX_SYNTHETIC_SYMBOLS)
    throw new RangeError(`synthetic symbol index out of range: ${index}`);
  return `SYN${String(index).padStart(5, '0')}`;
}

/** The last `count` weekdays up to and including `end` (when a weekday), oldest first. */
export function tradingDays(count: number, end: string = SYNTHETIC_END_DATE): string[] {
  const days: string[] = [];
  const d = new Date(`${end}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a YYYY-MM-DD date: ${end}`);
  while (days.length < count) {
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return days.reverse();
}

export interface SyntheticParams {
  startPrice: number;
  /** Annualized drift of the log price, e.g. 0.08 = 8 % a year. */
  drift: number;
  /** Annualized volatility, e.g. 0.3 = 30 %. */
  volatility: number;
  /** Typical daily traded value in USD. */
  dollarVolume: number;
}

/** One symbol's bars as columns (the engine's layout); prices in USD to 4 decimals, volume in whole shares. */
export interface SyntheticSeries {
  symbol: string;
  params: SyntheticParams;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const TRADING_DAYS_PER_YEAR = 252;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** A price never falls below a cent, so every price stays positive after rounding. */
const MIN_PRICE = 0.01;

const uniform = (random: () => number, low: number, high: number) => low + (high - low) * random();
const logUniform = (random: () => number, low: number, high: number) =>
  Math.exp(uniform(random, Math.log(low), Math.log(high)));

/** Standard normal by Box–Muller (1 − u keeps the logarithm finite). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Parameter ranges chosen so a synthetic universe spreads across the scan profiles like the real one:
 * prices 8–400 USD (most pass the 5/10/15 USD minimums), volatility 15–60 % a year (daily ATR of
 * roughly 1.5–6 %, around the 2.5/3.5/6 % maximums), dollar volume 2–200 M USD a day (about 80 %
 * above the balanced profile's 5 M).
 */
function drawParams(random: () => number): SyntheticParams {
  return {
    startPrice: logUniform(random, 8, 400),
    drift: uniform(random, -0.1, 0.25),
    volatility: uniform(random, 0.15, 0.6),
    dollarVolume: logUniform(random, 2e6, 2e8),
  };
}

/**
 * The `bars` daily bars of synthetic symbol `index` (1-based) for universe `seed`. Each bar keeps
 * low ≤ min(open, close) ≤ max(open, close) ≤ high, all prices > 0 and volume ≥ 100.
 */
export function generateSeries(seed: number, index: number, bars: number): SyntheticSeries {
  if (!Number.isInteger(bars) || bars < 1)
    throw new RangeError(`bars must be a positive integer, got ${bars}`);
  const random = mulberry32(symbolSeed(seed, index));
  const params = drawParams(random);
  const sigma = params.volatility / Math.sqrt(TRADING_DAYS_PER_YEAR);
  const mu = params.drift / TRADING_DAYS_PER_YEAR - (sigma * sigma) / 2;
  const series: SyntheticSeries = {
    symbol: syntheticSymbol(index),
    params,
    open: new Float64Array(bars),
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  };
  let previous = round4(params.startPrice);
  for (let i = 0; i < bars; i++) {
    // The overnight gap is a fraction of the day's move; the close follows the random walk from the previous close.
    const open = Math.max(MIN_PRICE, round4(previous * Math.exp(0.3 * sigma * gaussian(random))));
    const close = Math.max(MIN_PRICE, round4(previous * Math.exp(mu + sigma * gaussian(random))));
    const high = Math.max(
      open,
      close,
      round4(Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(gaussian(random)))),
    );
    const low = Math.min(
      open,
      close,
      Math.max(
        MIN_PRICE / 2,
        round4(Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(gaussian(random)))),
      ),
    );
    // Busier on big moves, as real volume is.
    const move = Math.abs(Math.log(close / previous)) / sigma;
    const shares =
      (params.dollarVolume / close) * Math.exp(0.3 * gaussian(random) - 0.045) * (0.8 + 0.2 * move);
    series.open[i] = open;
    series.high[i] = high;
    series.low[i] = low;
    series.close[i] = close;
    series.volume[i] = Math.max(100, Math.round(shares));
    previous = close;
  }
  return series;
}

/** The series as CSV rows `symbol,date,open,high,low,close,volume` (the COPY format of price_bars). */
export function seriesCsv(series: SyntheticSeries, dates: readonly string[]): string {
  if (dates.length !== series.close.length)
    throw new RangeError(`${dates.length} dates for ${series.close.length} bars`);
  let out = '';
  for (let i = 0; i < dates.length; i++) {
    out += `${series.symbol},${dates[i]},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}\n`;
  }
  return out;
}
