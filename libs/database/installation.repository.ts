import { IsNull, type DataSource } from 'typeorm';
import { hashApiKey, newSecret } from './api-key.repository.js';
import type { ApiKeyScope, LimitOverrides } from './entities/api-key.entity.js';
import type { CredentialUsage } from './entities/credential-usage.js';
import { InstallationEntity, type ApnsEnvironment } from './entities/installation.entity.js';

/** An active installation with the name of the app key that registered it. */
export interface ActiveInstallation {
  id: string;
  prefix: string;
  scopes: ApiKeyScope[];
  appKeyId: string;
  appKeyName: string;
  /** The app key's rate-limit overrides: they apply to each of its installations. */
  appKeyLimits: LimitOverrides;
}

/** An installation as an operator lists it. */
export interface InstallationListing {
  prefix: string;
  appKeyPrefix: string;
  appKeyName: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
  usage: CredentialUsage;
}

/** Named queries on installations, shared by the CLI and the api. */
export class InstallationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Registers an installation of `appKeyId`; returns the token in clear, the only time it exists. */
  async create(
    appKeyId: string,
    scopes: readonly ApiKeyScope[],
  ): Promise<{ token: string; entity: InstallationEntity }> {
    const { secret: token, prefix } = newSecret('msi');
    const entity = await this.dataSource.getRepository(InstallationEntity).save({
      appKeyId,
      secret: { prefix, hash: hashApiKey(token), revokedAt: null },
      scopes: [...scopes],
    });
    return { token, entity };
  }

  /** The installation whose token hashes to `tokenHash`, if it and its app key are both active. */
  async findActiveByHash(tokenHash: string): Promise<ActiveInstallation | null> {
    const rows = (await this.dataSource.query(
      `SELECT i.id, i.prefix, i.scopes, k.id AS "appKeyId", k.name AS "appKeyName",
              k.limits AS "appKeyLimits"
       FROM installations i JOIN api_keys k ON k.id = i.app_key_id AND k.revoked_at IS NULL
       WHERE i.token_hash = $1 AND i.revoked_at IS NULL`,
      [tokenHash],
    )) as ActiveInstallation[];
    return rows[0] ?? null;
  }

  /** Installations, newest first, optionally of one app key (by its prefix). */
  async list(appKeyPrefix?: string): Promise<InstallationListing[]> {
    const rows = (await this.dataSource.query(
      `SELECT i.prefix, i.scopes, i.created_at AS "createdAt", i.revoked_at AS "revokedAt",
              i.last_used_at AS "lastUsedAt", i.requests_day::text AS "requestsDay",
              i.requests_today AS "requestsToday",
              k.prefix AS "appKeyPrefix", k.name AS "appKeyName"
       FROM installations i JOIN api_keys k ON k.id = i.app_key_id
       WHERE $1::varchar IS NULL OR k.prefix = $1
       ORDER BY i.created_at DESC`,
      [appKeyPrefix ?? null],
    )) as (Omit<InstallationListing, 'usage'> & CredentialUsage)[];
    return rows.map(({ lastUsedAt, requestsDay, requestsToday, ...rest }) => ({
      ...rest,
      usage: { lastUsedAt, requestsDay, requestsToday },
    }));
  }

  /**
   * Registers the installation's APNs device token. A token names one app on one phone, so it is
   * taken from any other installation that had it (the app reinstalled gets a new installation);
   * one transaction, so no moment has it twice.
   */
  async setPushToken(id: string, token: string, environment: ApnsEnvironment): Promise<void> {
    await this.dataSource.transaction(async (db) => {
      await db.query(
        `UPDATE installations
         SET apns_token = NULL, apns_environment = NULL, apns_token_updated_at = now()
         WHERE apns_token = $1 AND id <> $2`,
        [token, id],
      );
      await db.query(
        `UPDATE installations
         SET apns_token = $2, apns_environment = $3, apns_token_updated_at = now() WHERE id = $1`,
        [id, token, environment],
      );
    });
  }

  /** Forgets the installation's device token (the user turned notifications off). */
  async clearPushToken(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE installations
       SET apns_token = NULL, apns_environment = NULL, apns_token_updated_at = now()
       WHERE id = $1 AND apns_token IS NOT NULL`,
      [id],
    );
  }

  /** Revokes one installation by prefix; returns how many were revoked (0 or 1). */
  async revoke(prefix: string): Promise<number> {
    const result = await this.dataSource
      .getRepository(InstallationEntity)
      .update({ secret: { prefix, revokedAt: IsNull() } }, { secret: { revokedAt: new Date() } });
    return result.affected ?? 0;
  }
}
