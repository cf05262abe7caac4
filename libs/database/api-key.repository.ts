import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { API_KEY_SCOPES, ApiKeyEntity, type ApiKeyScope } from './entities/api-key.entity.js';

/** Keys look like `msk_<8 chars>_<43 chars>`: the prefix identifies, the rest is 256 random bits. */
const KEY_PATTERN = /^msk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;

const PREFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const looksLikeApiKey = (key: string): boolean => KEY_PATTERN.test(key);

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
  ): Promise<{ key: string; entity: ApiKeyEntity }> {
    // Letters and digits only: a prefix starting with "-" would read as an option in `keys revoke`.
    const prefix = [...randomBytes(8)]
      .map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length])
      .join('');
    const key = `msk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const entity = await this.dataSource
      .getRepository(ApiKeyEntity)
      .save({ name, prefix, keyHash: hashApiKey(key), scopes, revokedAt: null });
    return { key, entity };
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .findOne({ where: { keyHash, revokedAt: IsNull() } });
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** Revokes by prefix; returns how many keys were revoked (0 or 1). */
  async revoke(prefix: string): Promise<number> {
    const result = await this.dataSource
      .getRepository(ApiKeyEntity)
      .update({ prefix, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
