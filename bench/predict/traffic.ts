/**
 * What bench:predict reads from its traffic: the open loop's records of one phase summed up as the
 * report shows them, and the api's event-loop delay, sampled from its own /metrics every second.
 * The generators themselves are the kit's (bench/kit/open-loop.ts, closed-loop.ts).
 */
import { performance } from 'node:perf_hooks';
import type { OpenLoop } from '../kit/open-loop.js';
import { gauge, scrape, type Sample } from '../kit/prometheus.js';
import { percentiles, quantile, type Percentiles } from '../kit/stats.js';

export interface OpenLoopResult {
  targetRate: number;
  durationSeconds: number;
  scheduled: number;
  /** Requests actually sent per second of the send window. */
  sendRate: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  /** Scheduled send time → response fully read, ms, successful requests only. */
  latencyMs: Percentiles;
  /** Successful requests slower than `thresholdMs`. */
  thresholdMs: number;
  overThreshold: number;
  /** Actual send time − scheduled send time, ms: how far the generator itself fell behind. */
  sendLagMs: Percentiles;
  /** Wall seconds from the first scheduled send to the last answer. */
  elapsedSeconds: number;
}

/**
 * The requests of `loop` scheduled in [from, to) as the report shows them: sends, answers by kind,
 * latency from the scheduled send to the last byte (successful requests), and how many of those
 * took longer than `thresholdMs`.
 */
export function openLoopResult(
  loop: OpenLoop,
  window: { from: number; to: number },
  rate: number,
  durationSeconds: number,
  thresholdMs = Infinity,
): OpenLoopResult {
  const recs = loop.records.filter((r) => r.scheduled >= window.from && r.scheduled < window.to);
  const statusCounts: Record<string, number> = {};
  for (const r of recs)
    if (r.status > 0) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
  const latencies = recs.filter((r) => r.outcome === 'ok').map((r) => r.done - r.scheduled);
  const first = Math.min(...recs.map((r) => r.scheduled));
  const lastSend = Math.max(...recs.map((r) => r.sent));
  return {
    targetRate: rate,
    durationSeconds,
    scheduled: recs.length,
    sendRate: recs.length / ((lastSend - first + 1000 / rate) / 1000),
    ok: latencies.length,
    non2xx: recs.filter((r) => r.outcome === 'status' || r.outcome === 'body').length,
    errors: recs.filter((r) => r.outcome === 'network' || r.outcome === 'timeout').length,
    statusCounts,
    latencyMs: percentiles(latencies),
    thresholdMs,
    overThreshold: latencies.filter((l) => l > thresholdMs).length,
    sendLagMs: percentiles(recs.map((r) => r.sent - r.scheduled)),
    elapsedSeconds: (Math.max(...recs.map((r) => r.done)) - first) / 1000,
  };
}

/**
 * One reading of prom-client's event-loop gauges. prom-client fills them from a
 * `monitorEventLoopDelay` histogram on every scrape and then resets that histogram, so each
 * reading covers exactly the time since the previous scrape. Values are the intervals between
 * the monitor's timer ticks: at rest they sit at the sampling resolution (10 ms here), and what
 * exceeds it is the time the loop was held up.
 */
export interface LagReading {
  atSeconds: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const lagOf = (samples: Sample[], atSeconds: number): LagReading => {
  const g = (suffix: string) => gauge(samples, `nodejs_eventloop_lag_${suffix}_seconds`) ?? NaN;
  return {
    atSeconds,
    min: g('min'),
    mean: g('mean'),
    p50: g('p50'),
    p90: g('p90'),
    p99: g('p99'),
    max: g('max'),
  };
};

export interface LagSampler {
  /** The readings so far (each covers the second before it) and the final scrape's full samples. */
  stop: () => Promise<{ readings: LagReading[]; last: Sample[] }>;
}

/**
 * Scrapes /metrics once now (which resets the server's delay histogram, so nothing from before
 * is counted; the samples are returned as the `before` reading) and then every `everyMs`.
 */
export async function startLagSampler(
  base: URL,
  everyMs = 1000,
): Promise<{ first: Sample[]; sampler: LagSampler }> {
  const first = await scrape(base);
  const t0 = performance.now();
  const readings: LagReading[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = scrape(base).then(
      (s) => void readings.push(lagOf(s, (performance.now() - t0) / 1000)),
      (e: Error) => console.error(`  /metrics scrape failed: ${e.message}`),
    );
  }, everyMs);
  return {
    first,
    sampler: {
      stop: async () => {
        clearInterval(timer);
        await inFlight;
        // The stretch since the last periodic scrape.
        const last = await scrape(base);
        readings.push(lagOf(last, (performance.now() - t0) / 1000));
        return { readings, last };
      },
    },
  };
}

export interface LagSummary {
  readings: number;
  /** Largest single delay seen in the phase (max of the per-interval maxima), seconds. */
  max: number;
  /** Largest and median per-interval p99, seconds. */
  p99Max: number;
  p99Median: number;
  /** Mean over the intervals of the per-interval means, seconds. */
  mean: number;
}

export function summarizeLag(readings: LagReading[]): LagSummary {
  // A reading taken within one sampling interval of the previous one holds no sample (mean NaN, max 0).
  const valid = readings.filter((r) => Number.isFinite(r.mean) && r.max > 0);
  if (valid.length === 0) return { readings: 0, max: NaN, p99Max: NaN, p99Median: NaN, mean: NaN };
  const p99s = valid.map((r) => r.p99).sort((a, b) => a - b);
  return {
    readings: valid.length,
    max: Math.max(...valid.map((r) => r.max)),
    p99Max: p99s[p99s.length - 1] ?? NaN,
    p99Median: quantile(p99s, 0.5),
    mean: valid.reduce((a, r) => a + r.mean, 0) / (valid.length || 1),
  };
}
