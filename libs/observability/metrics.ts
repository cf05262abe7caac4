import {
  Counter,
  Gauge,
  Histogram,
  register,
  Registry,
  type LabelValues,
  type OpenMetricsContentType,
} from 'prom-client';
import { traceExemplar, tracingStarted } from '#tracing';

// Every custom metric is defined here, once, in the default registry that /metrics serves.
// Labels are bounded: route templates, methods and status classes, never ids or symbols.

/**
 * With tracing on (started before this module loads: apps/*\/main.ts), the latency histograms
 * carry exemplars — the trace of a recent observation per bucket — which only the OpenMetrics
 * exposition has: /metrics switches to it (same series names; Prometheus negotiates it).
 */
const exemplars = tracingStarted();
// prom-client types the default registry as Prometheus-text only; it switches at run time.
if (exemplars)
  (register as unknown as Registry<OpenMetricsContentType>).setContentType(
    Registry.OPENMETRICS_CONTENT_TYPE,
  );

/** Duration of HTTP requests, labelled by route template (`/v1/items/:symbol`) and status class. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status class',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  enableExemplars: exemplars,
});

export const metricsRegistry = register;

/** Time spent per scan stage (loading, fetching, scanning, finalizing) and in total. */
export const scanStageDuration = new Histogram({
  name: 'scan_stage_duration_seconds',
  help: 'Scan duration by stage',
  labelNames: ['stage'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  enableExemplars: exemplars,
});

/** Observes a duration of one of the histograms above, with the active trace as its exemplar. */
export function observeDuration<T extends string>(
  histogram: Histogram<T>,
  labels: LabelValues<T>,
  seconds: number,
): void {
  const exemplar = exemplars ? traceExemplar() : undefined;
  // prom-client types exemplar labels as the metric's own label names; any names are valid.
  const exemplarLabels = exemplar as LabelValues<T> | undefined;
  if (exemplarLabels) histogram.observe({ labels, value: seconds, exemplarLabels });
  else histogram.observe(labels, seconds);
}

/** How POST /v1/scans was answered: from the cache, from a stored result, by joining a run, by a new run, or refused for a full queue (backlog_refused). */
export const scanRequests = new Counter({
  name: 'scan_requests_total',
  help: 'Scan requests by how they were answered',
  labelNames: ['outcome'] as const,
});

export const scanRuns = new Counter({
  name: 'scan_runs_total',
  help: 'Scan runs finished by the worker, by outcome',
  labelNames: ['outcome'] as const,
});

/** Scan runs the worker's retention job deleted (with their results) for being older than SCAN_RETENTION_DAYS. */
export const scanRetentionDeletedRuns = new Counter({
  name: 'scan_retention_deleted_runs_total',
  help: 'Scan runs deleted with their results by the retention job',
});

/**
 * Watch evaluation (issue 17): scans the evaluation ran (one per distinct request, however many
 * watches share it), watches it compared, alerts it recorded by kind.
 */
export const watchEvaluationScans = new Counter({
  name: 'watch_evaluation_scans_total',
  help: 'Scans run in-process by watch evaluation (one per distinct normalized request)',
});
export const watchEvaluationWatches = new Counter({
  name: 'watch_evaluation_watches_total',
  help: 'Watches compared with their previous result by watch evaluation',
});
export const watchAlertsRecorded = new Counter({
  name: 'watch_alerts_recorded_total',
  help: 'Alerts recorded by watch evaluation, by kind',
  labelNames: ['kind'] as const,
});

export const scanSymbolsScanned = new Counter({
  name: 'scan_symbols_scanned_total',
  help: 'Symbols analyzed by the scan engine',
});

/** Engine throughput of the latest scan of this process. */
export const scanSymbolsPerSecond = new Gauge({
  name: 'scan_symbols_per_second',
  help: 'Symbols per second of the most recent scan (engine time only)',
});

/** Jobs in the scan queue by state; filled on scrape by the app that owns a queue handle. */
export const scanQueueJobs = new Gauge({
  name: 'scan_queue_jobs',
  help: 'Jobs in the scan queue by state',
  labelNames: ['state'] as const,
});

/**
 * Scans waiting for a worker: the scan queue's waiting + prioritized jobs (what a new scan queues
 * behind). Every api and worker process reports the same number; the fleet's worker hosts are
 * scaled on it (deploy/aws/fleet.stack.ts).
 */
export const scanQueueBacklog = new Gauge({
  name: 'scan_queue_backlog',
  help: 'Scans waiting for a worker (waiting + prioritized jobs of the scan queue)',
});

/**
 * 1 while this process's readiness checks pass (PostgreSQL and Redis answer, as /health/ready),
 * else 0; sampled every few seconds. The hosts' alarms read it through the CloudWatch agent.
 */
export const healthReady = new Gauge({
  name: 'health_ready',
  help: 'Readiness of this process: 1 when PostgreSQL and Redis answer, else 0',
});

/** Open WebSocket connections on this api process. */
export const wsConnections = new Gauge({
  name: 'ws_connections',
  help: 'Open WebSocket connections',
});

/** Time to classify a request's texts, by kind (single or batch). */
export const predictDuration = new Histogram({
  name: 'predict_duration_seconds',
  help: 'Sentiment inference time per request',
  labelNames: ['kind'] as const,
  buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
});

export const predictTexts = new Counter({
  name: 'predict_texts_total',
  help: 'Texts classified by the sentiment model',
});

/** Always 1; the labels say which model is loaded. */
export const modelInfo = new Gauge({
  name: 'sentiment_model_info',
  help: 'The loaded sentiment model',
  labelNames: ['version', 'algorithm'] as const,
});
