import { Column } from 'typeorm';

/**
 * How much a credential (an API key or an installation token) is used, for `keys list` and
 * `installations list`. The api counts requests in memory and adds them here at most once a
 * minute per credential (CredentialUsageRecorder), never per request: a hot path stays free of
 * writes. `requestsToday` counts the UTC day in `requestsDay`; an older day reads as 0.
 */
export class CredentialUsage {
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'requests_day', type: 'date', nullable: true })
  requestsDay!: string | null;

  @Column({ name: 'requests_today', type: 'integer', default: 0 })
  requestsToday!: number;
}

/** The requests of today (UTC) in a usage record: 0 when its count belongs to an earlier day. */
export const requestsToday = (usage: CredentialUsage, now = new Date()): number =>
  usage.requestsDay === now.toISOString().slice(0, 10) ? usage.requestsToday : 0;
