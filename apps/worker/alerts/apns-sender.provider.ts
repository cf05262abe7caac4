import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApnsClient, ProviderToken } from '#apns';

/** Injection token of the worker's APNs client; null when APNS_* are not set (pushes: no-config). */
export const APNS_SENDER = Symbol('APNS_SENDER');

/**
 * Builds the APNs client from the config: reads the .p8 key once at start (an unreadable or
 * malformed key stops the worker, like any bad setting), or gives null when APNs is not configured.
 */
export const apnsSenderProvider: Provider = {
  provide: APNS_SENDER,
  inject: [APP_CONFIG],
  useFactory: async ({ apns }: AppConfig): Promise<ApnsClient | null> => {
    if (!apns.credentials) return null;
    const { teamId, keyId, keyFile, bundleId } = apns.credentials;
    const read = (file: string, variable: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`${variable}: cannot read ${file} (${(error as Error).message})`);
      }
    };
    const token = await ProviderToken.create({
      teamId,
      keyId,
      keyPem: read(keyFile, 'APNS_KEY_FILE'),
    }).catch((error: unknown) => {
      throw new Error(
        `APNS_KEY_FILE: not a P-256 key in PKCS #8 PEM (${(error as Error).message})`,
      );
    });
    return new ApnsClient({
      bundleId,
      urls: apns.urls,
      ca: apns.caFile ? read(apns.caFile, 'APNS_CA_FILE') : undefined,
      token,
      maxAttempts: apns.maxAttempts,
      retryBaseMs: apns.retryBaseMs,
    });
  },
};
