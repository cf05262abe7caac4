import { UnrecoverableError } from 'bullmq';

/**
 * The hand-off from watch evaluation to delivery (queue `alert-delivery`): the alerts of one
 * evaluation batch, committed before the job is added. Ids are the alerts' bigint ids as strings.
 * The job id is deterministic (`deliver:<dataVersion>:<batch>`), so a retried evaluation that
 * enqueues again adds nothing; the consumer marks each alert handled, so a retried delivery never
 * sends twice.
 */
export interface AlertDeliveryPayload {
  dataVersion: number;
  alertIds: string[];
}

/** Deterministic id of the delivery job for the n-th alert batch of a data version. */
export function alertDeliveryJobId(dataVersion: number, batch: number | string): string {
  return `deliver:${dataVersion}:${batch}`;
}

/** Validates a job's data; a payload that can never succeed fails with UnrecoverableError. */
export function parseAlertDeliveryPayload(data: unknown): AlertDeliveryPayload {
  const p = data as Partial<AlertDeliveryPayload> | null;
  const problems: string[] = [];
  if (!Number.isSafeInteger(p?.dataVersion) || (p?.dataVersion ?? 0) < 1)
    problems.push('dataVersion');
  if (
    !Array.isArray(p?.alertIds) ||
    !p.alertIds.every((id) => typeof id === 'string' && /^\d+$/.test(id))
  )
    problems.push('alertIds');
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid alert-delivery job payload: ${problems.join(', ')}`);
  return p as AlertDeliveryPayload;
}
