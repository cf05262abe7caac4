/**
 * Prometheus scraping: the text exposition format prom-client serves on the apps' /metrics, read
 * into samples; gauges, histograms, their deltas between two scrapes, and quantiles from buckets.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (what prom-client serves); comments are skipped. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    const raw = m[3]!;
    samples.push({
      name: m[1]!,
      labels,
      value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw),
    });
  }
  return samples;
}

const matches = (s: Sample, labels: Record<string, string>) =>
  Object.entries(labels).every(([k, v]) => s.labels[k] === v);

/** The value of the first sample named `name` with these labels, or null. */
export function gauge(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | null {
  return samples.find((s) => s.name === name && matches(s, labels))?.value ?? null;
}

export interface HistogramReading {
  /** Cumulative counts by upper bound, ascending, the last one +Inf. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

export function histogram(
  samples: Sample[],
  name: string,
  labels: Record<string, string>,
): HistogramReading {
  const buckets = samples
    .filter((s) => s.name === `${name}_bucket` && matches(s, labels))
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
    .sort((a, b) => a.le - b.le);
  return {
    buckets,
    sum: gauge(samples, `${name}_sum`, labels) ?? 0,
    count: gauge(samples, `${name}_count`, labels) ?? 0,
  };
}

/** after − before: the observations made between two scrapes (a series absent before counts from 0). */
export function histogramDelta(
  before: HistogramReading,
  after: HistogramReading,
): HistogramReading {
  return {
    buckets: after.buckets.map((b) => ({
      le: b.le,
      count: b.count - (before.buckets.find((x) => x.le === b.le)?.count ?? 0),
    })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/**
 * The q-quantile estimated as Prometheus' histogram_quantile does: linear interpolation inside the
 * bucket holding the rank (from 0 for the first bucket); a rank in the +Inf bucket gives the
 * largest finite bound. Only as precise as the buckets.
 */
export function bucketQuantile(h: HistogramReading, q: number): number {
  if (h.count <= 0 || h.buckets.length === 0) return NaN;
  const rank = q * h.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket <= 0 ? b.le : prevLe + (b.le - prevLe) * ((rank - prevCount) / inBucket);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

export async function scrape(base: URL): Promise<Sample[]> {
  const res = await fetch(new URL('/metrics', base));
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/**
 * One sample of a server's /metrics, e.g. ('scan_stage_duration_seconds_sum', {stage: 'fetching'});
 * other labels (the registry's default `app`) may be present. Null when absent.
 */
export async function metricValue(
  base: URL | string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | null> {
  return gauge(await scrape(new URL(base)), name, labels);
}
