/**
 * Statistics of the benches: medians of runs, and latency percentiles by nearest rank over the raw
 * values (exact, and cheap at the few hundred thousand requests of a run: no histogram library).
 */

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0
    ? NaN
    : sorted.length % 2
      ? sorted[mid]!
      : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The q-quantile (0..1) of ascending `sorted` by nearest rank; NaN when empty. */
export const quantile = (sorted: ArrayLike<number>, q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export interface Percentiles {
  n: number;
  /** The median (mean of the two middle values for an even count). */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles of `values` (ms, usually): the median as p50, nearest rank above it. */
export function percentiles(values: number[]): Percentiles {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  const mid = Math.floor(n / 2);
  return {
    n,
    p50: n === 0 ? NaN : n % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2,
    p90: quantile(s, 0.9),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: n ? s[n - 1]! : NaN,
    mean: n ? s.reduce((a, b) => a + b, 0) / n : NaN,
  };
}
