/** Queue names: the only strings api and worker share to find each other. */
export const QUEUES = {
  scan: 'scan',
  marketData: 'market-data',
  maintenance: 'maintenance',
  /** Watch evaluation after each new data version (issue 17). */
  watches: 'watches',
  /** Delivery of recorded alerts to WebSockets and APNs (payload: AlertDeliveryPayload). */
  alertDelivery: 'alert-delivery',
} as const;

/** Job names within the queues. */
export const JOBS = {
  runScan: 'run-scan',
  refreshBars: 'refresh-bars',
  pruneScans: 'prune-scans',
  evaluateWatches: 'evaluate-watches',
  checkDataVersion: 'check-data-version',
  deliverAlerts: 'deliver-alerts',
} as const;

/**
 * Id of the job scheduler that enqueues refresh-bars after every US close. One fixed id, so
 * upserting the schedule again (every worker start) replaces it instead of adding a second one.
 */
export const REFRESH_SCHEDULER_ID = 'refresh-bars-after-close';

/** Id of the job scheduler that enqueues prune-scans once a day (fixed, so upserts replace it). */
export const PRUNE_SCANS_SCHEDULER_ID = 'prune-scans-daily';

/** Id of the job scheduler that looks for a data version no evaluation has seen (CLI imports). */
export const WATCH_CHECK_SCHEDULER_ID = 'watches-check-data-version';
