export {
  QUEUES,
  JOBS,
  REFRESH_SCHEDULER_ID,
  PRUNE_SCANS_SCHEDULER_ID,
  WATCH_CHECK_SCHEDULER_ID,
} from './queues.js';
export {
  alertDeliveryJobId,
  parseAlertDeliveryPayload,
  type AlertDeliveryPayload,
} from './alert-delivery.payload.js';
export { bullConnection } from './bull-connection.js';
export { JobsModule } from './jobs.module.js';
export { DrainingWorker, DrainingWorkerHost, DRAIN_TIMEOUT_MS } from './draining-worker.js';
export { ScanQueueModule } from './scan-queue.module.js';
export { MarketDataQueueModule } from './market-data-queue.module.js';
export { MaintenanceQueueModule } from './maintenance-queue.module.js';
export { WatchesQueueModule } from './watches-queue.module.js';
export { WatchesProducer, type EvaluateWatchesPayload } from './watches.producer.js';
export {
  CARRIED_HITS_MAX,
  carriedResultOf,
  parseScanPayload,
  type CarriedScanResult,
  type ScanJobPayloadV2,
  type ScanJobResult,
  type NormalizedScanRequest,
  type ScanProfile,
  type ScanProgress,
} from './scan.payload.js';
export { parseRefreshBarsPayload, type RefreshBarsPayloadV1 } from './refresh-bars.payload.js';
export { ScanProducer, QueueBacklogError, QueueUnavailableError } from './scan.producer.js';
export { MarketDataProducer } from './market-data.producer.js';
export { MaintenanceProducer } from './maintenance.producer.js';
export { parsePruneScansPayload, type PruneScansPayloadV1 } from './prune-scans.payload.js';
export {
  isProgressAhead,
  isProgressBehind,
  progressPosition,
  SCAN_STAGES,
  type ProgressPosition,
} from './scan-progress.order.js';
export { toScanHit, type ScanHit, type InstrumentInfo } from './scan-hit.js';
export type { ScanMetrics, ScanSummary } from './scan-summary.js';
export { closeWithin } from './close-within.js';
