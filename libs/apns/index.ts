export { ApnsClient, type ApnsClientOptions } from './apns.client.js';
export {
  ProviderToken,
  TOKEN_REFRESH_MS,
  MIN_TOKEN_AGE_MS,
  type ProviderIdentity,
} from './provider-token.js';
export { payloadOf, MAX_PAYLOAD_BYTES, type Push, type PushOutcome } from './push.js';
export { normalizeDeviceToken, DEVICE_TOKEN_PATTERN } from './device-token.js';
export { PushDailyCap } from './daily-cap.js';
