// Kept light on purpose: the apps import this before anything else (see startTracing), so it
// loads no Nest, no database and no Redis client.
export { startTracing, shutdownTracing, tracingStarted, SERVICE_NAMES } from './tracing.sdk.js';
export {
  inSpan,
  Traced,
  activeSpan,
  activeTraceparent,
  contextOfTraceparent,
  traceLogFields,
  traceExemplar,
  type SpanOptions,
} from './spans.js';
export { SpanKind } from '@opentelemetry/api';
export { bullmqTelemetry } from './bullmq.telemetry.js';
export { installTraceResponse } from './http-server.js';
