/**
 * What bench:predict reads around each phase: the CPU of the api, of the bench and of the machine;
 * the api's own histograms (inference, HTTP, garbage collection) between two scrapes, for a
 * phase as one measurePhase; and the
 * in-process floor, the model alone on the bench's thread.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '#config';
import { measureSpeed, type SentimentModel } from '#sentiment';
import { BatchPool } from '../../apps/api/predict/batch-pool.js';
import { busyCores, cpuSeconds, loadavg, machineTimes, type QuietWait } from '../kit/machine.js';
import type { Server } from '../kit/processes.js';
import {
  bucketQuantile,
  histogram,
  histogramDelta,
  type HistogramReading,
  type Sample,
} from '../kit/prometheus.js';
import { percentiles } from '../kit/stats.js';
import type { GcReading, Phase, PhaseCpu, PredictReport, ServerHistogram } from './report-data.js';
import { startLagSampler } from './traffic.js';

/** CPU of the server, of this process (the load generator) and of the whole machine over a phase. */
export function cpuMeter(server: Server, quiet: QuietWait): () => PhaseCpu {
  const t = performance.now();
  const server0 = cpuSeconds(server.child.pid);
  const own0 = process.cpuUsage();
  const machine0 = machineTimes();
  const load = loadavg();
  return () => {
    const seconds = (performance.now() - t) / 1000;
    const server1 = cpuSeconds(server.child.pid);
    const own = process.cpuUsage(own0);
    return {
      seconds,
      serverCpuSeconds: server0 === null || server1 === null ? null : server1 - server0,
      serverCores: server0 === null || server1 === null ? null : (server1 - server0) / seconds,
      loadgenCores: (own.user + own.system) / 1e6 / seconds,
      machineCores: busyCores(machine0, machineTimes()),
      loadAvgAtStart: load,
      ...quiet,
    };
  };
}

export function serverHistogram(
  before: Sample[],
  after: Sample[],
  name: string,
  labels: Record<string, string>,
): ServerHistogram {
  const delta: HistogramReading = histogramDelta(
    histogram(before, name, labels),
    histogram(after, name, labels),
  );
  const ms = (q: number) => bucketQuantile(delta, q) * 1000;
  return {
    count: delta.count,
    meanMs: delta.count > 0 ? (delta.sum / delta.count) * 1000 : NaN,
    p50Ms: ms(0.5),
    p90Ms: ms(0.9),
    p99Ms: ms(0.99),
    buckets: delta.buckets.map((b) => ({ leMs: b.le * 1000, count: b.count })),
  };
}

/**
 * Runs `measure` (a phase of `kind`, requests to `route`) while reading the api: CPU from here on,
 * the event-loop delay once a second, and between the scrapes before and after, its garbage
 * collections, `predict_duration_seconds{kind}` and the 2xx `http_request_duration_seconds` of POST
 * `route`.
 */
export async function measurePhase<R>(
  server: Server,
  quiet: QuietWait,
  kind: 'single' | 'batch',
  route: string,
  measure: () => Promise<R>,
): Promise<Phase & { result: R }> {
  const cpu = cpuMeter(server, quiet);
  const lag = await startLagSampler(new URL(server.url));
  const result = await measure();
  const end = await lag.sampler.stop();
  return {
    result,
    cpu: cpu(),
    lag: end.readings,
    gc: gcBetween(lag.first, end.last),
    inference: serverHistogram(lag.first, end.last, 'predict_duration_seconds', { kind }),
    http: serverHistogram(lag.first, end.last, 'http_request_duration_seconds', {
      method: 'POST',
      route,
      status_class: '2xx',
    }),
  };
}

/** Garbage collections of the api between two scrapes, by kind (prom-client's default GC histogram). */
export function gcBetween(before: Sample[], after: Sample[]): GcReading[] {
  return ['minor', 'incremental', 'major'].map((kind) => {
    const d = histogramDelta(
      histogram(before, 'nodejs_gc_duration_seconds', { kind }),
      histogram(after, 'nodejs_gc_duration_seconds', { kind }),
    );
    const under10ms = d.buckets.find((b) => b.le === 0.01)?.count ?? 0;
    return { kind, count: d.count, totalMs: d.sum * 1000, over10ms: d.count - under10ms };
  });
}

/** In-process floor: the model alone on this thread, the api stopped. */
export function inProcess(
  model: SentimentModel,
  texts: string[],
): Omit<PredictReport['inProcess'], 'cpu'> {
  const speed = measureSpeed(model, texts, 9);
  const single: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    for (const text of texts) {
      const t = performance.now();
      model.predict(text);
      single.push(performance.now() - t);
    }
  }
  // What PredictService does between two yields: one predictBatch of a 32-text slice.
  const SLICE = 32;
  const slices: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    for (let i = 0; i + SLICE <= texts.length; i += SLICE) {
      const part = texts.slice(i, i + SLICE);
      const t = performance.now();
      model.predictBatch(part);
      slices.push(performance.now() - t);
    }
  }
  return {
    texts: texts.length,
    batchTextsPerSecond: speed.batchTextsPerSecond,
    batchRuns: speed.batchRuns,
    singleMs: percentiles(single),
    slice: SLICE,
    sliceMs: percentiles(slices),
  };
}

/**
 * The batch floor of this machine: the api's own BatchPool (as many threads as the api starts by
 * default) fed `size`-text batches by `loops` concurrent loops for `seconds`, no HTTP. texts/s.
 */
export async function poolFloor(
  modelPath: string,
  texts: string[],
  size: number,
  loops: number,
  seconds = 5,
): Promise<{ threads: number; textsPerSecond: number }> {
  const threads = loadConfig().predictThreads;
  const pool = new BatchPool(
    { artifact: readFileSync(modelPath, 'utf8'), source: modelPath },
    threads,
  );
  try {
    await pool.warm();
    const batches = Array.from({ length: Math.ceil(texts.length / size) }, (_, k) =>
      Array.from({ length: size }, (_, j) => texts[(k * size + j) % texts.length]!),
    );
    let done = 0;
    let next = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    const loop = async () => {
      while (performance.now() < end) {
        const batch = batches[next++ % batches.length]!;
        await pool.run(batch);
        done += batch.length;
      }
    };
    await Promise.all(Array.from({ length: loops }, loop));
    return { threads, textsPerSecond: done / ((performance.now() - t0) / 1000) };
  } finally {
    await pool.close();
  }
}

/** {@link inProcess} with the CPU of this process and of the machine while it ran. */
export function measureFloor(model: SentimentModel, texts: string[], quiet: QuietWait) {
  const machine0 = machineTimes();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const floor = inProcess(model, texts);
  const seconds = (performance.now() - t0) / 1000;
  const own = process.cpuUsage(own0);
  const cpu = {
    ...quiet,
    seconds,
    benchCores: (own.user + own.system) / 1e6 / seconds,
    machineCores: busyCores(machine0, machineTimes()),
  };
  return { floor, cpu };
}
