import type { ScanProgress } from './scan.payload.js';

/** DESIGN §4's stages, in the only order a scan goes through them. */
export const SCAN_STAGES = ['loading', 'fetching', 'scanning', 'finalizing'] as const;

/** The parts of a progress report that say how far a scan is. */
export type ProgressPosition = Pick<ScanProgress, 'stage' | 'percent' | 'symbolsScanned'>;

/** Whether `next` is behind `last`: an earlier stage or a lower percent. */
export function isProgressBehind(next: ProgressPosition, last: ProgressPosition): boolean {
  return (
    SCAN_STAGES.indexOf(next.stage) < SCAN_STAGES.indexOf(last.stage) || next.percent < last.percent
  );
}

/**
 * Whether `next` is news after `last`: not behind it, and further in at least one of stage,
 * percent or symbols scanned. A report equal to the last (the same frame again) or behind it (a
 * retry starting over, a stale catch-up read) is not. Shared by the worker, which does not report a
 * retried attempt's steps until it passes the previous attempt, and by every api process, which
 * does not send a socket a progress frame behind one it already sent.
 */
export function isProgressAhead(next: ProgressPosition, last: ProgressPosition | null): boolean {
  if (!last) return true;
  if (isProgressBehind(next, last)) return false;
  return (
    next.stage !== last.stage ||
    next.percent > last.percent ||
    next.symbolsScanned > last.symbolsScanned
  );
}

/** A stored job progress (`job.progress`, untyped in BullMQ) as a position, or null if it is none. */
export function progressPosition(value: unknown): ProgressPosition | null {
  if (typeof value !== 'object' || value === null) return null;
  const { stage, percent, symbolsScanned } = value as Record<string, unknown>;
  if (!SCAN_STAGES.includes(stage as ScanProgress['stage']) || typeof percent !== 'number')
    return null;
  return {
    stage: stage as ScanProgress['stage'],
    percent,
    symbolsScanned: typeof symbolsScanned === 'number' ? symbolsScanned : 0,
  };
}
