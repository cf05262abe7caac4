import { Histogram, register } from 'prom-client';

// Every custom metric is defined here, once, in the default registry that /metrics serves.
// Labels are bounded: route templates, methods and status classes, never ids or symbols.

/** Duration of HTTP requests, labelled by route template (`/v1/items/:symbol`) and status class. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status class',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const metricsRegistry = register;
