import { UnrecoverableError } from 'bullmq';

/**
 * Version 1 of the refresh-bars job on the market-data queue. The job scheduler is its only
 * producer today; an operator may add one by hand (for example with `until` to stop at a date).
 */
export interface RefreshBarsPayloadV1 {
  v: 1;
  /** Joins worker logs to whatever caused the job; scheduled runs use the scheduler id. */
  requestId: string;
  /** Fetch no day after this one (`YYYY-MM-DD`); default: the latest day with published data. */
  until?: string;
  /** Requests per run, 1..250; default 30. */
  maxDays?: number;
}

/** Validates a job's data; a payload that can never succeed fails with UnrecoverableError (no retries). */
export function parseRefreshBarsPayload(data: unknown): RefreshBarsPayloadV1 {
  const p = data as Partial<RefreshBarsPayloadV1> | null;
  const problems: string[] = [];
  if (p?.v !== 1) problems.push(`unsupported payload version ${String(p?.v)}`);
  if (typeof p?.requestId !== 'string' || p.requestId.length === 0) problems.push('requestId');
  if (
    p?.until !== undefined &&
    (typeof p.until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.until))
  )
    problems.push('until');
  if (
    p?.maxDays !== undefined &&
    (!Number.isInteger(p.maxDays) || p.maxDays < 1 || p.maxDays > 250)
  )
    problems.push('maxDays');
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid refresh-bars job payload: ${problems.join(', ')}`);
  return p as RefreshBarsPayloadV1;
}
