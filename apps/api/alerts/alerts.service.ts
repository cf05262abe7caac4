import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertKind, WatchResultRow } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException } from '../http/problem.js';
import { installationOf } from '../watches/watches.service.js';
import type { AlertDto, AlertPageDto, ListAlertsQuery } from './alerts.dto.js';

/** A cursor is the id of the last alert of the previous page (a positive 64-bit integer). */
function parseCursor(cursor: string): string {
  if (!/^[1-9]\d{0,18}$/.test(cursor) || BigInt(cursor) > 9_223_372_036_854_775_807n)
    throw new ProblemException(400, 'cursor is not one this API returned', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  return cursor;
}

interface AlertRow {
  id: string;
  watch_id: string;
  watch_name: string;
  data_version: number;
  kind: AlertKind;
  symbol: string;
  before: WatchResultRow | null;
  after: WatchResultRow | null;
  created_at: Date;
}

/**
 * GET /v1/alerts: the calling installation's alerts, newest first (what a phone opening its
 * alerts screen shows), in keyset pages by id — (installation_id, id) is indexed.
 */
@Injectable()
export class AlertsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListAlertsQuery, principal: Principal): Promise<AlertPageDto> {
    const installationId = installationOf(principal);
    const limit = query.limit ?? 50;
    const params: unknown[] = [installationId, limit + 1];
    let where = 'a.installation_id = $1';
    if (query.cursor !== undefined) {
      params.push(parseCursor(query.cursor));
      where += ` AND a.id < $${params.length}::bigint`;
    }
    if (query.since !== undefined) {
      const since = new Date(query.since);
      if (Number.isNaN(since.getTime()))
        throw new ProblemException(400, 'since is not a date-time', [
          { field: 'since', message: 'since must be an ISO 8601 date-time' },
        ]);
      params.push(since);
      where += ` AND a.created_at >= $${params.length}`;
    }
    const rows = (await this.dataSource.query(
      `SELECT a.id::text AS id, a.watch_id, w.name AS watch_name, a.data_version, a.kind, a.symbol,
              a.before, a.after, a.created_at
         FROM alerts a JOIN watches w ON w.id = a.watch_id
        WHERE ${where} ORDER BY a.id DESC LIMIT $2`,
      params,
    )) as AlertRow[];
    const page = rows.slice(0, limit);
    return {
      data: page.map(present),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }
}

const present = (r: AlertRow): AlertDto => ({
  id: r.id,
  watchId: r.watch_id,
  watchName: r.watch_name,
  dataVersion: r.data_version,
  kind: r.kind,
  symbol: r.symbol,
  before: r.before,
  after: r.after,
  createdAt: r.created_at.toISOString(),
});
