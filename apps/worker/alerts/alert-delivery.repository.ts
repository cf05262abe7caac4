import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApnsEnvironment } from '#database';
import type { AlertView } from '#redis';

/**
 * What became of an alert's push. `sending` is the claim taken before the request goes out: a
 * worker that dies then leaves it, and a retried job sends nothing for it (at most once). The
 * others are final; `no-config` means the worker has no APNs settings.
 */
export type PushState =
  'sending' | 'sent' | 'no-token' | 'capped' | 'rejected' | 'failed' | 'no-config';

/** An alert claimed for delivery, with what its installation's push needs. */
export interface ClaimedAlert extends AlertView {
  installationId: string;
}

export interface PushTarget {
  installationId: string;
  token: string;
  environment: ApnsEnvironment;
}

const ALERT_COLUMNS = `a.id::text AS id, a.watch_id AS "watchId", w.name AS "watchName",
  a.installation_id AS "installationId", a.data_version AS "dataVersion", a.kind, a.symbol,
  a.before, a.after, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/**
 * The alert-delivery queries. Each claim is one UPDATE … WHERE <still unhandled> RETURNING: two
 * workers (or a retried job) racing for the same alert cannot both get it, so nothing is sent twice.
 */
@Injectable()
export class AlertDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims the alerts among `ids` not yet published to WebSockets. */
  claimForSockets(ids: readonly string[]): Promise<ClaimedAlert[]> {
    return this.claim(ids, 'ws_published_at = now()', 'ws_published_at IS NULL');
  }

  /** Claims the alerts among `ids` whose push is not yet handled (push_state null → sending). */
  claimForPush(ids: readonly string[]): Promise<ClaimedAlert[]> {
    return this.claim(ids, `push_state = 'sending'`, 'push_state IS NULL');
  }

  /** The registered device tokens of active installations among `installationIds`. */
  async pushTargets(installationIds: readonly string[]): Promise<Map<string, PushTarget>> {
    const rows = (await this.dataSource.query(
      `SELECT id AS "installationId", apns_token AS token, apns_environment AS environment
       FROM installations
       WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL AND apns_token IS NOT NULL`,
      [installationIds],
    )) as PushTarget[];
    return new Map(rows.map((row) => [row.installationId, row]));
  }

  /** Records the final state of claimed alerts' push. */
  async settle(ids: readonly string[], state: Exclude<PushState, 'sending'>): Promise<void> {
    await this.dataSource.query(
      `UPDATE alerts SET push_state = $2::varchar, pushed_at = CASE WHEN $2::varchar = 'sent' THEN now() END
       WHERE id = ANY($1::bigint[])`,
      [ids, state],
    );
  }

  /**
   * Forgets a token APNs called dead, unless the installation registered another meanwhile (that
   * one is not known to be dead).
   */
  async dropToken(installationId: string, token: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE installations
       SET apns_token = NULL, apns_environment = NULL, apns_token_updated_at = now()
       WHERE id = $1 AND apns_token = $2`,
      [installationId, token],
    );
  }

  private async claim(
    ids: readonly string[],
    set: string,
    unhandled: string,
  ): Promise<ClaimedAlert[]> {
    if (ids.length === 0) return [];
    // A WITH … SELECT: TypeORM answers the rows themselves (an UPDATE alone would answer [rows, count]).
    return (await this.dataSource.query(
      `WITH claimed AS (
         UPDATE alerts SET ${set} WHERE id = ANY($1::bigint[]) AND ${unhandled} RETURNING *
       )
       SELECT ${ALERT_COLUMNS} FROM claimed a JOIN watches w ON w.id = a.watch_id ORDER BY a.id`,
      [ids],
    )) as ClaimedAlert[];
  }
}
