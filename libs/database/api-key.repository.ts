import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import {
  API_KEY_SCOPES,
  ApiKeyEntity,
  GRANTABLE_SCOPES,
  OVERRIDABLE_LIMITS,
  type ApiKeyScope,
  type LimitOverrides,
} from './entities/api-key.entity.js';
import { InstallationEntity } from './entities/installation.entity.js';

/**
 * Keys look like `msk_<8 chars>_<43 chars>` and installation tokens `msi_<8>_<43>`: the prefix
 * identifies, the rest is 256 random bits.
 */
const KEY_PATTERN = /^msk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;
const TOKEN_PATTERN = /^msi_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;

const PREFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const looksLikeApiKey = (key: string): boolean => KEY_PATTERN.test(key);
export const looksLikeInstallationToken = (token: string): boolean => TOKEN_PATTERN.test(token);

/** A new secret of the given kind with its listing prefix (letters and digits only). */
export function newSecret(kind: 'msk' | 'msi'): { secret: string; prefix: string } {
  // Letters and digits only: a prefix starting with "-" would read as an option in `keys revoke`.
  const prefix = [...randomBytes(8)]
    .map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length])
    .join('');
  return { secret: `${kind}_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** `--grants` of an app key: a non-empty subset of read,scan,predict (never admin or install). */
export function parseGrants(list: string): ApiKeyScope[] {
  const grants = parseScopes(list);
  const refused = grants.filter((s) => !(GRANTABLE_SCOPES as readonly string[]).includes(s));
  if (refused.length > 0)
    throw new Error(`grants must be a subset of ${GRANTABLE_SCOPES.join(',')}; got "${list}"`);
  return grants;
}

/** Highest override a key may get: the same ceiling as the configured limits. */
const MAX_LIMIT = 1_000_000;

/**
 * `--limit bucket=n` options of `keys create` (repeatable): a partner's own budget per window for
 * a per-credential bucket. Throws with the valid names on anything else.
 */
export function parseLimitOverrides(options: readonly string[]): LimitOverrides {
  const overrides: LimitOverrides = {};
  for (const option of options) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\d+)\s*$/.exec(option);
    const bucket = match?.[1] as (typeof OVERRIDABLE_LIMITS)[number] | undefined;
    const limit = Number(match?.[2]);
    if (!bucket || !OVERRIDABLE_LIMITS.includes(bucket) || !(limit >= 1 && limit <= MAX_LIMIT))
      throw new Error(
        `--limit must be bucket=n with a bucket of ${OVERRIDABLE_LIMITS.join(',')} and n in 1..${MAX_LIMIT}; got "${option}"`,
      );
    overrides[bucket] = limit;
  }
  return overrides;
}

export function parseScopes(list: string): ApiKeyScope[] {
  const scopes = [
    ...new Set(
      list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new Error(
      `scopes must be a comma-separated subset of ${API_KEY_SCOPES.join(',')}; got "${list}"`,
    );
  }
  return scopes as ApiKeyScope[];
}

/** Named queries on api_keys, shared by the CLI and the api's authentication. */
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a key and returns it in clear: the only moment it exists outside its holder. */
  async create(
    name: string,
    scopes: ApiKeyScope[],
    grants: ApiKeyScope[] = [],
    limits: LimitOverrides = {},
  ): Promise<{ key: string; entity: ApiKeyEntity }> {
    if (scopes.includes('install') !== grants.length > 0)
      throw new Error('an app key has the install scope and --grants; other keys have neither');
    const { secret: key, prefix } = newSecret('msk');
    const entity = await this.dataSource.getRepository(ApiKeyEntity).save({
      name,
      secret: { prefix, hash: hashApiKey(key), revokedAt: null },
      scopes,
      grants,
      limits,
    });
    return { key, entity };
  }

  findActiveByHash(hash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .findOne({ where: { secret: { hash, revokedAt: IsNull() } } });
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .find({ order: { secret: { createdAt: 'ASC' } } });
  }

  /**
   * Revokes by prefix, with every installation the key registered (authentication already refuses
   * a token whose app key is revoked; marking them keeps listings truthful). Returns how many keys
   * were revoked (0 or 1) and how many installations with it.
   */
  revoke(prefix: string): Promise<{ keys: number; installations: number }> {
    return this.dataSource.transaction(async (manager) => {
      const revokedAt = new Date();
      const key = await manager
        .getRepository(ApiKeyEntity)
        .findOne({ where: { secret: { prefix, revokedAt: IsNull() } } });
      if (!key) return { keys: 0, installations: 0 };
      await manager.getRepository(ApiKeyEntity).update({ id: key.id }, { secret: { revokedAt } });
      const installations = await manager
        .getRepository(InstallationEntity)
        .update({ appKeyId: key.id, secret: { revokedAt: IsNull() } }, { secret: { revokedAt } });
      return { keys: 1, installations: installations.affected ?? 0 };
    });
  }
}
