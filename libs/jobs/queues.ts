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
