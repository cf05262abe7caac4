/** Queue names: the only strings api and worker share to find each other. */
export const QUEUES = {
  scan: 'scan',
  marketData: 'market-data',
} as const;

/** Job names within the queues. */
export const JOBS = {
  runScan: 'run-scan',
  refreshBars: 'refresh-bars',
} as const;

/**
 * Id of the job scheduler that enqueues refresh-bars after every US close. One fixed id, so
 * upserting the schedule again (every worker start) replaces it instead of adding a second one.
 */
export const REFRESH_SCHEDULER_ID = 'refresh-bars-after-close';
