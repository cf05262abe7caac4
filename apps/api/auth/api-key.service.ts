import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { CredentialUsageRecorder } from './credential-usage.recorder.js';
import {
  ApiKeyRepository,
  hashApiKey,
  InstallationRepository,
  looksLikeApiKey,
  looksLikeInstallationToken,
  type ApiKeyScope,
  type LimitOverrides,
} from '#database';

/**
 * Who is calling: attached to the request once the credential is checked. A credential is an API
 * key or an installation token; `keyId` is its id either way, so scans, viewers and rate-limit
 * counters belong to the credential that made the request.
 */
export interface Principal {
  keyId: string;
  /** What logs show of the credential: `msk_` or `msi_` and its listing prefix, never the secret. */
  label?: string;
  name: string;
  scopes: readonly ApiKeyScope[];
  /** An app key's grants: what the installations it registers carry (empty for other keys). */
  grants?: readonly ApiKeyScope[];
  /** Set when the credential is an installation token: the app key that registered it. */
  installation?: { appKeyId: string };
  /** Per-window limits of its own (`keys create --limit`); an installation has its app key's. */
  limits?: LimitOverrides;
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
    private readonly usage: CredentialUsageRecorder,
  ) {
    this.keys = new ApiKeyRepository(dataSource);
    this.installations = new InstallationRepository(dataSource);
  }

  /**
   * The principal of an API key or an installation token; null when unknown or revoked. Every
   * request authenticates once (HTTP route or WebSocket upgrade): that is what usage counts.
   */
  async authenticate(key: string): Promise<Principal | null> {
    const principal = await this.resolve(key);
    if (principal) this.usage.record(principal.keyId, principal.installation !== undefined);
    return principal;
  }

  private async resolve(key: string): Promise<Principal | null> {
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
      ? {
          keyId: entity.id,
          label: `msk_${entity.prefix}`,
          name: entity.name,
          scopes: entity.scopes,
          grants: entity.grants,
          limits: entity.limits,
        }
      : null;
  }

  /** A token works only while its app key does: revoking the app key retires its installations. */
  private async findInstallation(hash: string): Promise<Principal | null> {
    const found = await this.installations.findActiveByHash(hash);
    return found
      ? {
          keyId: found.id,
          label: `msi_${found.prefix}`,
          name: `${found.appKeyName} installation ${found.prefix}`,
          scopes: found.scopes,
          installation: { appKeyId: found.appKeyId },
          limits: found.appKeyLimits,
        }
      : null;
  }
}
