import { sideOf } from './plan.js';
import { roundTo, signalFor } from './scoring.js';
import {
  FILTER_NAMES,
  type Direction,
  type FilterName,
  type ProfileThresholds,
} from './scan.types.js';

/**
 * How strongly a (rounded) rating speaks for the direction, 0..100, higher ranks first: the rating
 * for `long`, its mirror 100 − rating for `short`, and the distance from neutral 50 + |rating − 50|
 * for `both`. Rounded to the rating's one decimal so that float noise never reorders a tie.
 */
export function directionScore(rating: number, direction: Direction): number {
  if (direction === 'long') return rating;
  if (direction === 'short') return roundTo(100 - rating, 1);
  return roundTo(50 + Math.abs(rating - 50), 1);
}

/** Whether a rating's signal trades the direction: Long/Strong Long for long, Short/Strong Short for short, either for both. */
export function agreesWith(rating: number, direction: Direction): boolean {
  const side = sideOf(signalFor(rating));
  return side !== null && (direction === 'both' || side === direction);
}

/** The values a filter compares, as a hit shows them (rounded like its indicators). */
export interface FilterInputs {
  close: number;
  atrPct: number;
  avgDollarVolume20: number;
  techRating: number;
}

/** The filter whose bit is set in a {@link filterMask}. */
export const filterBit = (name: FilterName): number => 1 << FILTER_NAMES.indexOf(name);

/**
 * The filters a symbol fails, one bit per {@link FILTER_NAMES} entry (0 = listed). A bitmask
 * rather than a list, so the scan loop allocates nothing for the symbols that pass. `minRating`
 * bounds the {@link directionScore}; `direction` requires a signal on that side (never Avoid).
 */
export function filterMask(
  v: FilterInputs,
  t: ProfileThresholds,
  minRating: number,
  direction: Direction,
): number {
  let mask = 0;
  if (!(v.close >= t.minPrice)) mask |= 1;
  if (!(v.atrPct <= t.maxAtrPct)) mask |= 2;
  if (!(v.avgDollarVolume20 >= t.minAvgDollarVolume)) mask |= 4;
  if (!(directionScore(v.techRating, direction) >= minRating)) mask |= 8;
  if (!agreesWith(v.techRating, direction)) mask |= 16;
  return mask;
}

/** The names of the filters set in a mask, in {@link FILTER_NAMES} order. */
export const failedFilters = (mask: number): FilterName[] =>
  FILTER_NAMES.filter((_, k) => (mask & (1 << k)) !== 0);
