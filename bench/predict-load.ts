/**
 * Load generation and server-side readings for `npm run bench:predict`:
 *
 * - an open-loop generator (requests leave on a fixed timetable whatever the server does; latency
 *   counts from the scheduled send time, so a stalled server cannot hide its stall by slowing the
 *   generator down: no coordinated omission);
 * - a closed-loop generator (N connections, each sends its next request when the previous answers);
 * - a Prometheus text-format reader, histogram deltas and quantiles from buckets, and a sampler of
 *   the api's event-loop delay gauges.
 *
 * Requests go through `node:http` with a keep-alive agent and bodies encoded before the run: on a
 * 2-core machine the generator shares the CPU with the server, so it must cost as little as possible.
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export interface Reply {
  status: number;
  body: string;
}

/** One POST of a pre-encoded JSON body on `agent`; rejects on socket errors and after `timeoutMs`. */
export function post(
  agent: http.Agent,
  base: URL,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
  };
}

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
  latencyMs: LatencySummary;
  /** Successful requests slower than `thresholdMs`. */
  thresholdMs: number;
  overThreshold: number;
  /** Actual send time − scheduled send time, ms: how far the generator itself fell behind. */
  sendLagMs: LatencySummary;
  /** Wall seconds from the first scheduled send to the last answer. */
  elapsedSeconds: number;
}

/**
 * Sends request i at t0 + i / rate for `durationSeconds`, never waiting for answers (the agent
 * queues a request only when `maxSockets` connections are all busy, and that wait counts too),
 * then waits for every answer. `send` resolves with the status; `check` may reject a 200 body.
 */
export async function openLoop(
  rate: number,
  durationSeconds: number,
  send: (i: number) => Promise<Reply>,
  check: (reply: Reply) => boolean,
  thresholdMs = Infinity,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * durationSeconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const sendLags: number[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let lastAnswer = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now() + 5;
  let lastSend = t0;

  const fire = (i: number, scheduledAt: number) => {
    const sentAt = performance.now();
    lastSend = sentAt;
    sendLags.push(sentAt - scheduledAt);
    pending.push(
      send(i).then(
        (reply) => {
          const done = performance.now();
          lastAnswer = Math.max(lastAnswer, done);
          statusCounts[reply.status] = (statusCounts[reply.status] ?? 0) + 1;
          if (reply.status === 200 && check(reply)) {
            ok++;
            latencies.push(done - scheduledAt);
          } else non2xx++;
        },
        () => {
          lastAnswer = Math.max(lastAnswer, performance.now());
          errors++;
        },
      ),
    );
  };

  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      // Catch up on every send that is due: a late timer must not thin out the timetable.
      while (i < total && t0 + i * interval <= now) {
        fire(i, t0 + i * interval);
        i++;
      }
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  await Promise.all(pending);
  return {
    targetRate: rate,
    durationSeconds,
    scheduled: total,
    sendRate: total / ((lastSend - t0 + interval) / 1000),
    ok,
    non2xx,
    errors,
    statusCounts,
    latencyMs: summarize(latencies),
    thresholdMs,
    overThreshold: latencies.filter((l) => l > thresholdMs).length,
    sendLagMs: summarize(sendLags),
    elapsedSeconds: (lastAnswer - t0) / 1000,
  };
}

export interface ClosedLoopResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  /** Items (texts) answered in successful requests. */
  items: number;
  /** Wall seconds from the start to the last answer (the last requests may end after the window). */
  elapsedSeconds: number;
  itemsPerSecond: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
}

/**
 * `connections` loops, each sending its next request as soon as the previous one is answered,
 * until `durationSeconds` have passed; `send` resolves with the reply, `itemsOf` counts the items
 * of a successful reply (0: the reply is wrong and counts as non-2xx).
 */
export async function closedLoop(
  connections: number,
  durationSeconds: number,
  send: (i: number) => Promise<Reply>,
  itemsOf: (reply: Reply) => number,
): Promise<ClosedLoopResult> {
  const start = performance.now();
  const end = start + durationSeconds * 1000;
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let items = 0;
  let lastAnswer = start;
  const loop = async () => {
    while (performance.now() < end) {
      const i = next++;
      const t = performance.now();
      try {
        const reply = await send(i);
        const done = performance.now();
        lastAnswer = Math.max(lastAnswer, done);
        statusCounts[reply.status] = (statusCounts[reply.status] ?? 0) + 1;
        const n = reply.status === 200 ? itemsOf(reply) : 0;
        if (n > 0) {
          ok++;
          items += n;
          latencies.push(done - t);
        } else non2xx++;
      } catch {
        lastAnswer = Math.max(lastAnswer, performance.now());
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedSeconds = (lastAnswer - start) / 1000;
  return {
    connections,
    durationSeconds,
    requests: next,
    ok,
    non2xx,
    errors,
    statusCounts,
    items,
    elapsedSeconds,
    itemsPerSecond: items / elapsedSeconds,
    requestsPerSecond: ok / elapsedSeconds,
    latencyMs: summarize(latencies),
  };
}

// ---------------------------------------------------------------------------------------------
// Prometheus text format

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
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const raw = m[3]!;
    samples.push({ name: m[1]!, labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) });
  }
  return samples;
}

const matches = (s: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => s.labels[k] === v);

/** The value of the first sample named `name` with these labels, or null. */
export function gauge(samples: Sample[], name: string, labels: Record<string, string> = {}): number | null {
  return samples.find((s) => s.name === name && matches(s, labels))?.value ?? null;
}

export interface HistogramReading {
  /** Cumulative counts by upper bound, ascending, the last one +Inf. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

export function histogram(samples: Sample[], name: string, labels: Record<string, string>): HistogramReading {
  const buckets = samples
    .filter((s) => s.name === `${name}_bucket` && matches(s, labels))
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
    .sort((a, b) => a.le - b.le);
  return { buckets, sum: gauge(samples, `${name}_sum`, labels) ?? 0, count: gauge(samples, `${name}_count`, labels) ?? 0 };
}

/** after − before: the observations made between two scrapes (a series absent before counts from 0). */
export function histogramDelta(before: HistogramReading, after: HistogramReading): HistogramReading {
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (before.buckets.find((x) => x.le === b.le)?.count ?? 0) })),
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

// ---------------------------------------------------------------------------------------------
// Event-loop delay

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
  return { atSeconds, min: g('min'), mean: g('mean'), p50: g('p50'), p90: g('p90'), p99: g('p99'), max: g('max') };
};

export interface LagSampler {
  /** The readings so far (each covers the second before it) and the final scrape's full samples. */
  stop: () => Promise<{ readings: LagReading[]; last: Sample[] }>;
}

/**
 * Scrapes /metrics once now (which resets the server's delay histogram, so nothing from before
 * is counted; the samples are returned as the `before` reading) and then every `everyMs`.
 */
export async function startLagSampler(base: URL, everyMs = 1000): Promise<{ first: Sample[]; sampler: LagSampler }> {
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

// ---------------------------------------------------------------------------------------------
// Machine

export const busyCores = (before: { busy: number; total: number }, after: { busy: number; total: number }) =>
  ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
