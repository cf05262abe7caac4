import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScanStatus } from '#database';
import type { ScanSummary } from '#jobs';

const ISO_UTC_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

export interface ScanSummaryRow {
  id: string;
  status: ScanStatus;
  request: Record<string, unknown>;
  createdAt: Date;
  completedAt: Date | null;
  summary: ScanSummary | null;
  error: string | null;
  hits: number;
  /** created_at to the microsecond, the keyset position (a Date would round it to ms). */
  position: string;
}

/** Where a page starts: strictly older than this run (created_at, then id, both descending). */
export interface ScanCursor {
  createdAt: string;
  id: string;
}

/** Named queries for a key's scan history. */
@Injectable()
export class ScanHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Newest first, the runs the key owns or was made a viewer of (the rule of GET /v1/scans/{id});
   * `limit + 1` rows tell whether another page exists. Each side of the OR has its index
   * (`scan_runs_key_created_idx`, and the GIN `scan_runs_viewers_idx` that serves `@>`).
   */
  async page(
    apiKeyId: string,
    status: ScanStatus | null,
    after: ScanCursor | null,
    limit: number,
  ): Promise<{ rows: ScanSummaryRow[]; hasMore: boolean }> {
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.status, r.request, r.created_at AS "createdAt", r.completed_at AS "completedAt",
              r.summary, r.error, to_char(r.created_at AT TIME ZONE 'UTC', ${ISO_UTC_US}) AS position,
              CASE WHEN r.status = 'completed'
                   THEN (SELECT count(*)::int FROM scan_results s WHERE s.scan_run_id = r.id)
                   ELSE 0 END AS hits
       FROM scan_runs r
       WHERE (r.api_key_id = $1::uuid OR r.viewer_key_ids @> ARRAY[$1::uuid])
         AND ($2::varchar IS NULL OR r.status = $2)
         AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT $5`,
      [apiKeyId, status, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    )) as ScanSummaryRow[];
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }
}
