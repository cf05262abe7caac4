import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  ApiKeyRepository,
  hashApiKey,
  InstallationRepository,
  looksLikeApiKey,
  looksLikeInstallationToken,
  type ApiKeyScope,
} from '#database';

/**
 * Who is calling: attached to the request once the credential is checked. A credential is an API
 * key or an installation token; `keyId` is its id either way, so scans, viewers and rate-limit
 * counters belong to the credential that made the request.
 */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
  /** An app key's grants: what the installations it registers carry (empty for other keys). */
  grants?: readonly ApiKeyScope[];
  /** Set when the credential is an installation token: the app key that registered it. */
  installation?: { appKeyId: string };
}

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number;
}

/** Bounds the cache so a flood of random keys cannot grow memory. */
const MAX_ENTRIES = 10_000;
/** Unknown keys are remembered briefly too, so guessing does not cost a query per request. */
const NEGATIVE_TTL_MS = 5_000;

/**
 * Resolves API keys to principals. Results are cached in memory for `API_KEY_CACHE_TTL_MS`, so a
 * request costs no database round trip; a revoked key stops working within that TTL.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly keys: ApiKeyRepository;
  private readonly installations: InstallationRepository;

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.keys = new ApiKeyRepository(dataSource);
    this.installations = new InstallationRepository(dataSource);
  }

  /** The principal of an API key or an installation token; null when unknown or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    const isToken = looksLikeInstallationToken(key);
    if (!isToken && !looksLikeApiKey(key)) return null;
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.principal;

    const principal = isToken ? await this.findInstallation(hash) : await this.findKey(hash);
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.delete(hash);
    this.cache.set(hash, {
      principal,
      expiresAt: now + (principal ? this.config.auth.cacheTtlMs : NEGATIVE_TTL_MS),
    });
    return principal;
  }

  private async findKey(hash: string): Promise<Principal | null> {
    const entity = await this.keys.findActiveByHash(hash);
    return entity
      ? { keyId: entity.id, name: entity.name, scopes: entity.scopes, grants: entity.grants }
      : null;
  }

  /** A token works only while its app key does: revoking the app key retires its installations. */
  private async findInstallation(hash: string): Promise<Principal | null> {
    const found = await this.installations.findActiveByHash(hash);
    return found
      ? {
          keyId: found.id,
          name: `${found.appKeyName} installation ${found.prefix}`,
          scopes: found.scopes,
          installation: { appKeyId: found.appKeyId },
        }
      : null;
  }
}
