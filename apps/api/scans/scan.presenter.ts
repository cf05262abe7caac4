import type { ScanRunEntity } from '#database';
import type { ScanHit, ScanProgress } from '#jobs';
import type { ScanDto } from './scans.dto.js';

const QUEUED_PROGRESS = { stage: 'loading', percent: 0, symbolsScanned: 0, universeSize: 0, etaSeconds: null };

/** The public Scan resource of a run (DESIGN §3). */
export function presentScan(run: ScanRunEntity, options: { cached: boolean; hits?: ScanHit[]; progress?: ScanProgress | null }): ScanDto {
  const summary = (run.summary ?? {}) as Record<string, unknown>;
  let progress: ScanDto['progress'];
  if (run.status === 'completed') {
    const scanned = Number(summary['symbolsScanned'] ?? 0);
    progress = { stage: 'finalizing', percent: 100, symbolsScanned: scanned, universeSize: Number(summary['universeSize'] ?? scanned), etaSeconds: 0 };
  } else if (options.progress) {
    const { partial: _partial, ...rest } = options.progress;
    progress = rest;
  } else progress = { ...QUEUED_PROGRESS };

  const scan: ScanDto = {
    id: run.id,
    status: run.status,
    cached: options.cached,
    request: run.request,
    progress,
    createdAt: run.createdAt.toISOString(),
    completedAt: run.completedAt ? run.completedAt.toISOString() : null,
  };
  if (run.status === 'completed') {
    scan.result = {
      statusText: String(summary['statusText'] ?? ''),
      relaxed: Boolean(summary['relaxed']),
      universeSize: Number(summary['universeSize'] ?? 0),
      symbolsScanned: Number(summary['symbolsScanned'] ?? 0),
      dataVersion: Number(summary['dataVersion'] ?? run.dataVersion),
      asOf: (summary['asOf'] as string | null) ?? null,
      results: (options.hits ?? []) as unknown as ScanDto['result'] extends infer R ? (R extends { results: infer H } ? H : never) : never,
      metrics: (summary['metrics'] as Record<string, number>) ?? {},
    };
  }
  if (run.status === 'failed') scan.error = run.error ?? 'scan failed';
  return scan;
}
