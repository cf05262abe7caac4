import type { ScanRunEntity } from '#database';
import type { CarriedScanResult, NormalizedScanRequest, ScanHit, ScanProgress } from '#jobs';
import type { ScanDto } from './scans.dto.js';

const QUEUED_PROGRESS = {
  stage: 'loading',
  percent: 0,
  symbolsScanned: 0,
  universeSize: 0,
  etaSeconds: null,
} as const;

/**
 * The stored request with every field the ScanRequest schema requires: runs stored before
 * `direction` and `asOfRequested` existed (job v1) were long scans of the date they named.
 */
export function presentRequest(stored: Record<string, unknown>): NormalizedScanRequest {
  return {
    direction: 'long',
    asOfRequested: stored.asOf ?? null,
    ...stored,
  } as NormalizedScanRequest;
}

/** The public Scan resource of a run (DESIGN §3). */
export function presentScan(
  run: ScanRunEntity,
  options: { cached: boolean; hits?: ScanHit[]; progress?: ScanProgress | null },
): ScanDto {
  const scan: ScanDto = {
    id: run.id,
    status: run.status,
    cached: options.cached,
    request: presentRequest(run.request),
    progress: { ...QUEUED_PROGRESS },
    createdAt: run.createdAt.toISOString(),
    completedAt: run.completedAt ? run.completedAt.toISOString() : null,
  };
  if (run.status === 'completed') {
    // The worker writes the summary and the status in one statement: a completed run has one.
    const summary = run.summary!;
    scan.progress = {
      stage: 'finalizing',
      percent: 100,
      symbolsScanned: summary.symbolsScanned,
      universeSize: summary.universeSize,
      etaSeconds: 0,
    };
    scan.result = {
      statusText: summary.statusText,
      relaxed: summary.relaxed,
      universeSize: summary.universeSize,
      symbolsScanned: summary.symbolsScanned,
      dataVersion: summary.dataVersion,
      asOf: summary.asOf,
      // Runs stored before asOfRequested existed named no other date than the one they used.
      asOfRequested: (run.request.asOfRequested ?? run.request.asOf ?? null) as string | null,
      results: options.hits ?? [],
      metrics: summary.metrics,
    };
  } else if (options.progress) {
    const { partial: _partial, ...progress } = options.progress;
    scan.progress = progress;
  }
  if (run.status === 'failed') scan.error = run.error ?? 'scan failed';
  return scan;
}

/**
 * The completed Scan of a run from the result its job carried (the same as stored: the worker
 * carries it only after writing it), without reading the run and its hits back.
 */
export function presentCarried(run: ScanRunEntity, carried: CarriedScanResult): ScanDto {
  const completed = Object.assign(Object.create(Object.getPrototypeOf(run) as object), run, {
    status: 'completed',
    summary: carried.summary,
    completedAt: new Date(carried.completedAt),
  }) as ScanRunEntity;
  return presentScan(completed, { cached: false, hits: carried.hits });
}
