import { normalizeDeviceToken } from '#apns';
import type { InstallationRepository } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException } from '../http/problem.js';
import type { PushRegistrationDto } from './push-registration.dto.js';

/** The part of InstallationRepository push registration needs (a fake in unit tests). */
export type PushTokenStore = Pick<InstallationRepository, 'setPushToken' | 'clearPushToken'>;

/**
 * PUT/DELETE /v1/installations/me/push: an installation registers (or forgets) the APNs device
 * token its alerts are pushed to. Only an installation token may: an API key has no phone.
 */
export class PushRegistrationService {
  constructor(private readonly store: PushTokenStore) {}

  async register(principal: Principal, dto: PushRegistrationDto): Promise<void> {
    const token = normalizeDeviceToken(dto.token);
    // The DTO's pattern already held; this keeps the stored form (lower-case) in one place.
    if (!token) throw new ProblemException(400, 'token must be the device token as hex');
    await this.store.setPushToken(installationOf(principal), token, dto.environment);
  }

  async unregister(principal: Principal): Promise<void> {
    await this.store.clearPushToken(installationOf(principal));
  }
}

function installationOf(principal: Principal): string {
  if (!principal.installation)
    throw new ProblemException(
      403,
      'Only an installation token registers a device for push; an API key has no device',
    );
  return principal.keyId;
}
