import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { looksLikeApiKey, looksLikeInstallationToken } from '#database';
import { assertScope, extractApiKey, hasScope } from '../auth/api-key.guard.js';
import { ApiKeyService, GUESS_REFUSED, type Principal } from '../auth/api-key.service.js';
import { clientAddress, proxyTrust } from '../http/client-address.js';
import { ProblemException } from '../http/problem.js';
import {
  rateLimitKey,
  rateLimitOf,
  refundRateLimit,
  spendRateLimit,
  spendsScanBudget,
  trackerOf,
} from '../rate-limit/rate-limit.budget.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';

/** Why an upgrade is refused, answered as problem+json before any WebSocket exists. */
export interface Refusal {
  code: number;
  message: string;
  /** Seconds; every 429 and 503 says when to try again (RELIABILITY: a usable Retry-After). */
  retryAfter?: number;
}

export type UpgradeDecision =
  { refusal: Refusal } | { principal: Principal; ip: string; credential: string };

const tooMany = (message: string, retryAfter: number): { refusal: Refusal } => ({
  refusal: { code: 429, message, retryAfter },
});
const retryIn = (spent: { timeToBlockExpire: number }): number =>
  Math.max(1, spent.timeToBlockExpire);

/**
 * Who may open `/v1/ws` and start scans over it. Guards do not run on the handshake
 * (nestjs/nest#882) nor on frames, so the gateway asks here; the rules themselves are the HTTP
 * side's (key extraction, scopes, rate-limit budgets), called, not copied.
 */
@Injectable()
export class WsAdmission {
  private readonly openPerIp = new Map<string, number>();
  /** The HTTP side's rule (TRUST_PROXY): the same peers may name the client on both. */
  private readonly trustedProxy: (address: string) => boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly limits: RedisThrottlerStorage,
  ) {
    this.trustedProxy = proxyTrust(config.api.trustProxy);
  }

  /**
   * Open connections per address first (memory only, no Redis call for a flood), then the
   * credential, then its connect budget. An upgrade refused for its credential spends its
   * address's budget instead: without a key or with a malformed one the `wsConnect` counter of
   * the address, with an unknown key the `authFailures` counter HTTP requests share. Anonymous
   * upgrades from an address therefore cost valid keys there nothing, and a key that may be a
   * guess is not looked up once the address guessed too often.
   */
  async admitUpgrade(req: IncomingMessage): Promise<UpgradeDecision> {
    const ip = clientAddress(req, this.trustedProxy);
    if ((this.openPerIp.get(ip) ?? 0) >= this.config.ws.maxConnectionsPerIp)
      return tooMany('Too many open WebSocket connections from this address', 5);

    const key = extractApiKey(req.headers, req.url);
    const principal = key
      ? await this.keys.authenticate(key, () => this.addressMayGuess(ip))
      : null;
    if (principal === GUESS_REFUSED)
      return tooMany('Too many upgrades with an unknown API key from this address', this.window());
    if (!principal) {
      const known = key !== null && (looksLikeApiKey(key) || looksLikeInstallationToken(key));
      const spent = await spendRateLimit(
        this.limits,
        this.config,
        known ? 'authFailures' : 'wsConnect',
        `ip:${ip}`,
      );
      if (spent.isBlocked)
        return tooMany('Too many refused upgrades from this address; retry later', retryIn(spent));
      return {
        refusal: {
          code: 401,
          message: 'Missing or invalid API key: send it in the X-API-Key header',
        },
      };
    }
    // The socket is for following and starting scans: a credential without `scan` has no use for it.
    if (!hasScope(principal, 'scan'))
      return { refusal: { code: 403, message: 'This API key lacks the "scan" scope' } };
    const connects = await spendRateLimit(
      this.limits,
      this.config,
      'wsConnect',
      trackerOf(principal, ip),
      { principal },
    );
    if (connects.isBlocked)
      return tooMany('WebSocket connect rate limit exceeded; retry later', retryIn(connects));
    return { principal, ip, credential: key! };
  }

  private async addressMayGuess(ip: string): Promise<boolean> {
    const failures = await this.limits.hits(rateLimitKey('authFailures', `ip:${ip}`));
    return failures < rateLimitOf(this.config, 'authFailures');
  }

  private window(): number {
    return this.config.rateLimits.windowSeconds;
  }

  /** Whether the credential a socket opened with still works (key cache; counts no request). */
  stillValid(credential: string): Promise<boolean> {
    return this.keys.stillValid(credential);
  }

  opened(ip: string): void {
    this.openPerIp.set(ip, (this.openPerIp.get(ip) ?? 0) + 1);
  }

  closed(ip: string): void {
    const open = (this.openPerIp.get(ip) ?? 1) - 1;
    if (open <= 0) this.openPerIp.delete(ip);
    else this.openPerIp.set(ip, open);
  }

  /**
   * A `scan` frame is POST /v1/scans by other means: the same scope, and the same scans-create
   * budget of the same caller. Throws the ProblemException the HTTP route would answer with.
   */
  async admitScan(principal: Principal, ip: string): Promise<void> {
    assertScope(principal, 'scan');
    const budget = await spendRateLimit(
      this.limits,
      this.config,
      'scansCreate',
      trackerOf(principal, ip),
      { principal },
    );
    if (budget.isBlocked)
      throw new ProblemException(
        429,
        `Rate limit exceeded; retry in ${budget.timeToBlockExpire} s`,
      );
  }

  /**
   * Settles a `scan` frame admitted by `admitScan` once its outcome is known: as over HTTP, a
   * cached answer or a refused request gives its scans-create unit back.
   */
  async settleScan(
    principal: Principal,
    ip: string,
    outcome: { cached: boolean } | { status: number },
  ): Promise<void> {
    if (!spendsScanBudget(outcome))
      await refundRateLimit(this.limits, 'scansCreate', trackerOf(principal, ip));
  }
}
