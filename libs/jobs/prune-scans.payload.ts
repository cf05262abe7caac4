import { UnrecoverableError } from 'bullmq';

/**
 * Version 1 of the prune-scans job on the maintenance queue: delete scan runs (and, by cascade,
 * their results) older than the retention. The daily job scheduler is its producer; an operator
 * may add one by hand.
 */
export interface PruneScansPayloadV1 {
  v: 1;
  /** Joins worker logs to whatever caused the job; scheduled runs use the scheduler id. */
  requestId: string;
}

/** Validates a job's data; a payload that can never succeed fails with UnrecoverableError. */
export function parsePruneScansPayload(data: unknown): PruneScansPayloadV1 {
  const p = data as Partial<PruneScansPayloadV1> | null;
  const problems: string[] = [];
  if (p?.v !== 1) problems.push(`unsupported payload version ${String(p?.v)}`);
  if (typeof p?.requestId !== 'string' || p.requestId.length === 0) problems.push('requestId');
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid prune-scans job payload: ${problems.join(', ')}`);
  return p as PruneScansPayloadV1;
}
