export { RedisModule, REDIS_CLIENT, createFailFastRedis } from './redis.module.js';
export { QUEUES, JOBS } from './queues.js';
export { bullConnection } from './bull-connection.js';
export { parseScanPayload, type ScanJobPayloadV1, type NormalizedScanRequest, type ScanProfile, type ScanProgress } from './scan.payload.js';
export { ScanProducer, QueueUnavailableError } from './scan.producer.js';
export { toScanHit, type ScanHit, type InstrumentInfo } from './scan-hit.js';
export type { ScanMetrics, ScanSummary } from './scan-summary.js';
export { closeWithin } from './close-within.js';
