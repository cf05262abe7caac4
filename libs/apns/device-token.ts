/**
 * An APNs device token as the app reads it from `didRegisterForRemoteNotificationsWithDeviceToken`:
 * hex. Tokens are 32 bytes today, but Apple says their length may change, so 8 to 100 bytes of
 * hex are accepted (case-insensitive, stored lower-case).
 */
export const DEVICE_TOKEN_PATTERN = /^(?:[0-9a-fA-F]{2}){8,100}$/;

/** The token in its stored form, or null when it is no hex device token. */
export function normalizeDeviceToken(token: string): string | null {
  return DEVICE_TOKEN_PATTERN.test(token) ? token.toLowerCase() : null;
}
