import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { AppConfig, RateLimitBucket } from '#config';
import type { LimitOverrides } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import type { RedisThrottlerStorage } from './redis-throttler.storage.js';

/**
 * The rules of DESIGN §7's budgets, in one place for both doors: the HTTP throttler (configured in
 * RateLimitModule, run by RateLimitGuard) and the WebSocket, which has no route for the guard to
 * run on. A WebSocket `scan` spends the same counter as `POST /v1/scans`, so the keys must agree
 * exactly; the fault suite counts them across two api processes.
 */

/** Who a request counts against: its API key when it has one, else its client IP. */
export const trackerOf = (principal: Principal | undefined, ip: string): string =>
  principal ? `key:${principal.keyId}` : `ip:${ip}`;

/** One counter per bucket and caller (the storage prefixes it with `ratelimit:`). */
export const rateLimitKey = (bucket: RateLimitBucket, tracker: string): string =>
  `${bucket}:${tracker}`;

/** The fixed window every bucket counts over, ms. */
export const rateLimitWindowMs = (config: AppConfig): number =>
  config.rateLimits.windowSeconds * 1000;

/**
 * Requests per window a caller may make in `bucket`: its credential's override (`keys create
 * --limit`, an installation inheriting its app key's) or else the configured default.
 */
export const rateLimitOf = (
  config: AppConfig,
  bucket: RateLimitBucket,
  principal?: Principal,
): number =>
  principal?.limits?.[bucket as keyof LimitOverrides] ?? config.rateLimits.perWindow[bucket];

/**
 * Counts `units` requests of `tracker` against `bucket` (one, as the throttler guard does for a
 * route, or one per text of a batch). `principal` is the caller when the bucket counts per
 * credential, for its limit override.
 */
export function spendRateLimit(
  storage: RedisThrottlerStorage,
  config: AppConfig,
  bucket: RateLimitBucket,
  tracker: string,
  { principal, units = 1 }: { principal?: Principal; units?: number } = {},
): Promise<ThrottlerStorageRecord> {
  return storage.incrementBy(
    rateLimitKey(bucket, tracker),
    rateLimitWindowMs(config),
    rateLimitOf(config, bucket, principal),
    units,
  );
}

/**
 * Gives back the request `spendRateLimit` (or the HTTP throttler) counted, for answers that cost
 * nothing: budgets count cost, not calls (issue 11).
 */
export const refundRateLimit = (
  storage: RedisThrottlerStorage,
  bucket: RateLimitBucket,
  tracker: string,
  units = 1,
): Promise<void> => storage.refund(rateLimitKey(bucket, tracker), units);

/**
 * Whether a scans-create request spent anything: an answer from the cache or the stored results
 * (`cached: true`) did not, nor did a refused request (a 4xx: invalid, unknown symbols, too many
 * scans in flight). A new run, a joined run in flight and a 5xx did.
 */
export function spendsScanBudget(outcome: { cached: boolean } | { status: number }): boolean {
  return 'cached' in outcome ? !outcome.cached : outcome.status < 400 || outcome.status >= 500;
}
