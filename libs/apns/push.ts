import type { ApnsEnvironment } from '#database';

/** One alert notification to one device. */
export interface Push {
  deviceToken: string;
  environment: ApnsEnvironment;
  title: string;
  body: string;
  /**
   * Pushes sharing it replace each other on the phone (apns-collapse-id, at most 64 bytes): the
   * watch id, so a phone shows only a watch's newest change.
   */
  collapseId?: string;
  /** Members beside `aps` in the payload, for the app (watch id, alert ids). */
  custom?: Record<string, unknown>;
  /** When APNs stops trying to reach an offline phone (apns-expiration), epoch seconds. */
  expiresAt?: number;
}

/** Apple's limit on a notification's payload. */
export const MAX_PAYLOAD_BYTES = 4096;
/** What body text a payload may carry at most, well inside MAX_PAYLOAD_BYTES with the custom fields. */
const MAX_BODY_CHARS = 1000;

/** The JSON body APNs receives: a visible alert with title and body, and the app's own members. */
export function payloadOf(push: Push): string {
  const body =
    push.body.length > MAX_BODY_CHARS ? `${push.body.slice(0, MAX_BODY_CHARS - 1)}…` : push.body;
  return JSON.stringify({
    ...push.custom,
    aps: { alert: { title: push.title, body }, sound: 'default', 'thread-id': push.collapseId },
  });
}

/** What became of a push, after any retries. */
export type PushOutcome =
  | { kind: 'sent'; apnsId?: string; attempts: number }
  /** 410 Unregistered or 400 BadDeviceToken: the token is dead, drop it. */
  | { kind: 'dead-token'; status: number; reason: string; attempts: number }
  /** Any other refusal that retrying cannot fix (a bad topic, a bad provider token…). */
  | { kind: 'rejected'; status: number; reason: string; attempts: number }
  /** 429, 5xx or connection failures until the attempts ran out. */
  | { kind: 'failed'; status?: number; reason: string; attempts: number };
