import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApiKeyRepository, hashApiKey, looksLikeApiKey, type ApiKeyScope } from '#database';

/** Who is calling: attached to the request once the key is checked. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
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

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.keys = new ApiKeyRepository(dataSource);
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!looksLikeApiKey(key)) return null;
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.principal;

    const entity = await this.keys.findActiveByHash(hash);
    const principal = entity
      ? { keyId: entity.id, name: entity.name, scopes: entity.scopes }
      : null;
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.delete(hash);
    this.cache.set(hash, {
      principal,
      expiresAt: now + (principal ? this.config.auth.cacheTtlMs : NEGATIVE_TTL_MS),
    });
    return principal;
  }
}
