import type { ApiKeyScope, InstallationRepository } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException, RetryLaterException } from '../http/problem.js';
import type { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import type { InstallationDto } from './installations.dto.js';

/** The part of InstallationRepository registration needs (a fake in unit tests). */
export type InstallationStore = Pick<InstallationRepository, 'create'>;

/** The one rate-limit call registration makes beyond the route's own (per app key) budget. */
export type SpendPerIp = (ip: string) => ReturnType<RedisThrottlerStorage['increment']>;

/**
 * Registers installations: an app key (scope `install`) trades itself for a token of the
 * installation's own, which carries the app key's grants. The route's throttler budget bounds
 * registrations per app key; this service also bounds them per client address, so one device
 * cannot mint tokens at the app's whole rate. Built by InstallationsModule's factory, so unit
 * tests hand it fakes.
 */
export class InstallationsService {
  constructor(
    private readonly store: InstallationStore,
    private readonly spendPerIp: SpendPerIp,
  ) {}

  async register(principal: Principal, ip: string): Promise<InstallationDto> {
    const grants: readonly ApiKeyScope[] = principal.grants ?? [];
    // An installation token never registers another one, and a key without grants has nothing
    // to hand on (an admin key passes the scope check but is not an app key).
    if (principal.installation || grants.length === 0)
      throw new ProblemException(
        403,
        'Only an app key (scope "install", created with --grants) registers installations',
      );
    const perIp = await this.spendPerIp(ip);
    if (perIp.isBlocked)
      throw new RetryLaterException(
        429,
        'Too many installations registered from this address; retry later',
        perIp.timeToBlockExpire,
      );
    const { token, entity } = await this.store.create(principal.keyId, grants);
    return { installationId: entity.id, token, scopes: entity.scopes };
  }
}
