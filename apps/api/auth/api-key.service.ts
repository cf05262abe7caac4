import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
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

/** What `authenticate` answers for a possible guess its caller did not allow to be looked up. */
export const GUESS_REFUSED = 'guess-refused';

/** Bounds each cache so a flood of random keys cannot grow memory. */
const MAX_ENTRIES = 10_000;
/** Unknown keys are remembered briefly too, so guessing does not cost a query per request. */
const NEGATIVE_TTL_MS = 5_000;
/** How long a key that was valid is not taken for a guess (see `authenticate`). */
const RECENTLY_VALID_MS = 10 * 60_000;

/**
 * Resolves API keys to principals. Results are cached in memory for `API_KEY_CACHE_TTL_MS`, so a
 * request costs no database round trip; a revoked key stops working within that TTL. Known and
 * unknown keys are cached apart: a flood of random keys fills only the second and can never evict
 * a valid key.
 */
@Injectable()
export class ApiKeyService {
  /** Null when API_KEY_CACHE_TTL_MS is 0: every request is looked up. */
  private readonly known: LRUCache<string, Principal> | null;
  private readonly unknown = new LRUCache<string, true>({
    max: MAX_ENTRIES,
    ttl: NEGATIVE_TTL_MS,
  });
  /** Keys valid within RECENTLY_VALID_MS, by hash: revalidated on expiry, never taken for guesses. */
  private readonly recentlyValid = new LRUCache<string, true>({
    max: MAX_ENTRIES,
    ttl: RECENTLY_VALID_MS,
  });
  private readonly keys: ApiKeyRepository;
  private readonly installations: InstallationRepository;

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly usage: CredentialUsageRecorder,
  ) {
    this.keys = new ApiKeyRepository(dataSource);
    this.installations = new InstallationRepository(dataSource);
    this.known =
      config.auth.cacheTtlMs > 0
        ? new LRUCache({ max: MAX_ENTRIES, ttl: config.auth.cacheTtlMs })
        : null;
  }

  /**
   * The principal of an API key or an installation token; null when unknown or revoked. Every
   * request authenticates once (HTTP route or WebSocket upgrade): that is what usage counts.
   *
   * With `mayGuess`, a key that may be a guess — well-formed, in neither cache, and not valid
   * within the last 10 minutes — is looked up only if `mayGuess()` allows it, else answered
   * GUESS_REFUSED without a query: the caller refuses such keys from an address that already
   * guessed too often, while a key in use keeps working there (its cache entry expiring every TTL
   * must not lock its holder out). The key is hashed once either way.
   */
  async authenticate(key: string): Promise<Principal | null>;
  async authenticate(
    key: string,
    mayGuess: () => Promise<boolean>,
  ): Promise<Principal | null | typeof GUESS_REFUSED>;
  async authenticate(
    key: string,
    mayGuess?: () => Promise<boolean>,
  ): Promise<Principal | null | typeof GUESS_REFUSED> {
    const principal = await this.resolve(key, mayGuess);
    if (principal && principal !== GUESS_REFUSED)
      this.usage.record(principal.keyId, principal.installation !== undefined);
    return principal;
  }

  /**
   * Whether a credential still works, through the same caches, without counting a request: an
   * open WebSocket is re-checked with it, so a revoked key loses its socket within the cache TTL.
   */
  async stillValid(key: string): Promise<boolean> {
    return (await this.resolve(key)) !== null;
  }

  private async resolve(
    key: string,
    mayGuess?: () => Promise<boolean>,
  ): Promise<Principal | null | typeof GUESS_REFUSED> {
    const isToken = looksLikeInstallationToken(key);
    if (!isToken && !looksLikeApiKey(key)) return null;
    const hash = hashApiKey(key);
    const cached = this.known?.get(hash);
    if (cached) return cached;
    if (this.unknown.has(hash)) return null;
    if (mayGuess && !this.recentlyValid.has(hash) && !(await mayGuess())) return GUESS_REFUSED;

    const principal = isToken ? await this.findInstallation(hash) : await this.findKey(hash);
    if (principal) {
      this.known?.set(hash, principal);
      this.recentlyValid.set(hash, true);
    } else this.unknown.set(hash, true);
    return principal;
  }

  private async findKey(hash: string): Promise<Principal | null> {
    const entity = await this.keys.findActiveByHash(hash);
    return entity
      ? {
          keyId: entity.id,
          label: `msk_${entity.secret.prefix}`,
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
