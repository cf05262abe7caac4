export {
  LoggingModule,
  labelRequestCredential,
  requestIdFor,
  redactUrl,
  REDACTED_PATHS,
} from './logging.module.js';
export { MetricsModule } from './metrics.module.js';
export { TracingModule } from './tracing.module.js';
export {
  httpRequestDuration,
  observeDuration,
  metricsRegistry,
  scanStageDuration,
  scanRequests,
  scanRuns,
  scanRetentionDeletedRuns,
  watchAlertsRecorded,
  watchEvaluationScans,
  watchEvaluationWatches,
  scanSymbolsScanned,
  scanSymbolsPerSecond,
  scanQueueJobs,
  scanQueueBacklog,
  healthReady,
  wsConnections,
  predictDuration,
  predictTexts,
  modelInfo,
} from './metrics.js';
export { installHttpMetrics } from './http-metrics.js';
export { installRequestIdHeader } from './request-id.js';
export { installRequestLogging } from './request-logging.js';
export { HealthModule } from './health/health.module.js';
export type { HealthDto } from './health/health.dto.js';
