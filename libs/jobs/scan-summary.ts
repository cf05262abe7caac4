/** How a finished run went, measured by the worker. */
export interface ScanMetrics {
  /** From taking the job to writing the results, ms. */
  totalMs: number;
  /** Time inside the engine alone, ms. */
  computeMs: number;
  symbolsPerSecond: number;
  /** Whether the bars came from the worker's in-memory cache (false: loaded for this scan). */
  barCacheHit: boolean;
}

/**
 * What a completed run records in `scan_runs.summary` beside its hits in `scan_results`; the api
 * serves it as the Scan's `result` (DESIGN §3). Written by the worker, read by the api.
 */
export interface ScanSummary {
  statusText: string;
  /** True when nothing passed the filters and the hits are the best-rated symbols regardless. */
  relaxed: boolean;
  universeSize: number;
  symbolsScanned: number;
  skippedInsufficientHistory: number;
  /** The data version the bars were read at (may be newer than the run's, never older). */
  dataVersion: number;
  /** `YYYY-MM-DD` of the latest bar used; null when no symbol was analyzed. */
  asOf: string | null;
  metrics: ScanMetrics;
}
