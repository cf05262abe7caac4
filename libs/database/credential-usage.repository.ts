import type { DataSource } from 'typeorm';

/** Requests counted in memory for one credential since the last flush. */
export interface UsageDelta {
  id: string;
  kind: 'key' | 'installation';
  requests: number;
  lastUsedAt: Date;
}

const TABLES = { key: 'api_keys', installation: 'installations' } as const;

/**
 * Adds counted requests to the credentials' usage columns: one UPDATE per table for any number of
 * credentials. The day is the UTC date of the last use; counts of a new day replace the stored
 * ones, counts of a day older than the stored one (a late flush from another process across
 * midnight) are dropped rather than added to the wrong day.
 */
export class CredentialUsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(deltas: readonly UsageDelta[]): Promise<void> {
    for (const kind of ['key', 'installation'] as const) {
      const rows = deltas.filter((d) => d.kind === kind);
      if (rows.length === 0) continue;
      await this.dataSource.query(
        `UPDATE ${TABLES[kind]} c SET
           last_used_at = GREATEST(c.last_used_at, u.used_at),
           requests_today = CASE
             WHEN c.requests_day = u.day THEN c.requests_today + u.requests
             WHEN c.requests_day > u.day THEN c.requests_today
             ELSE u.requests END,
           requests_day = GREATEST(c.requests_day, u.day)
         FROM (SELECT id, requests, used_at, (used_at AT TIME ZONE 'UTC')::date AS day
               FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS t(id, requests, used_at)) u
         WHERE c.id = u.id`,
        [rows.map((r) => r.id), rows.map((r) => r.requests), rows.map((r) => r.lastUsedAt)],
      );
    }
  }
}
