import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import type { ApnsEnvironment } from '#database';
import { payloadOf, type Push, type PushOutcome } from './push.js';
import type { ProviderToken } from './provider-token.js';

export interface ApnsClientOptions {
  /** The app's bundle id: apns-topic. */
  bundleId: string;
  /** Base URL per environment (https://api.push.apple.com, …, or a local fake). */
  urls: Record<ApnsEnvironment, string>;
  /** PEM of a CA to trust instead of the system's (a local fake's). */
  ca?: string;
  token: ProviderToken;
  /** Attempts per push for retryable answers (429, 5xx, connection failures). */
  maxAttempts: number;
  /** First backoff; doubled per attempt, with full jitter. */
  retryBaseMs: number;
  /** A Retry-After longer than this ends the push as failed instead of holding the job. */
  maxRetryAfterMs?: number;
  /** Per request: no answer by then counts as a connection failure. */
  requestTimeoutMs?: number;
  /** Injectable for tests: what waiting between attempts means. */
  sleep?: (ms: number) => Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  reason?: string;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends alert notifications to APNs over HTTP/2 with token-based authentication (one long-lived
 * connection per environment, as Apple asks; re-opened when it closes). Each push is retried on
 * 429, 5xx and connection failures with exponential backoff and full jitter, honouring Retry-After,
 * up to `maxAttempts`. 410 Unregistered and 400 BadDeviceToken come back as `dead-token` so the
 * caller drops the token; an ExpiredProviderToken re-signs the token (within Apple's 20-minute
 * floor) and tries again.
 */
export class ApnsClient {
  private readonly sessions = new Map<ApnsEnvironment, ClientHttp2Session>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApnsClientOptions) {
    this.sleep = options.sleep ?? wait;
  }

  async send(push: Push): Promise<PushOutcome> {
    const { maxAttempts } = this.options;
    let last: { status?: number; reason: string } = { reason: 'not sent' };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let delayMs = this.backoffMs(attempt);
      try {
        const jwt = await this.options.token.get();
        const answer = await this.request(push, jwt);
        const reason = answer.reason ?? '';
        if (answer.status === 200)
          return { kind: 'sent', apnsId: header(answer.headers, 'apns-id'), attempts: attempt };
        if (answer.status === 410 || (answer.status === 400 && reason === 'BadDeviceToken'))
          return { kind: 'dead-token', status: answer.status, reason, attempts: attempt };
        last = { status: answer.status, reason };
        if (answer.status === 403 && reason === 'ExpiredProviderToken') {
          if (!this.options.token.expire(jwt))
            return { kind: 'rejected', status: 403, reason, attempts: attempt };
          delayMs = 0; // a fresh token, not a busy server: no reason to wait
        } else if (answer.status !== 429 && answer.status < 500)
          return { kind: 'rejected', status: answer.status, reason, attempts: attempt };
        const retryAfterMs = retryAfterOf(answer.headers);
        if (retryAfterMs !== undefined) {
          if (retryAfterMs > (this.options.maxRetryAfterMs ?? 60_000))
            return { kind: 'failed', ...last, attempts: attempt };
          delayMs = retryAfterMs;
        }
      } catch (error) {
        last = { reason: (error as Error).message };
      }
      if (attempt < maxAttempts) await this.sleep(delayMs);
    }
    return { kind: 'failed', ...last, attempts: maxAttempts };
  }

  /** Closes the connections; in-flight requests finish first. */
  async close(): Promise<void> {
    const closing = [...this.sessions.values()].map(
      (session) => new Promise<void>((resolve) => session.close(() => resolve())),
    );
    this.sessions.clear();
    await Promise.all(closing);
  }

  /** Full jitter (AWS architecture blog's "exponential backoff and jitter"): spreads a herd. */
  private backoffMs(attempt: number): number {
    return Math.round(Math.random() * this.options.retryBaseMs * 2 ** (attempt - 1));
  }

  private session(environment: ApnsEnvironment): ClientHttp2Session {
    const open = this.sessions.get(environment);
    if (open && !open.closed && !open.destroyed) return open;
    const session = connect(this.options.urls[environment], {
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    });
    // A session that fails or goes away is forgotten; the next push opens another.
    const forget = () => {
      if (this.sessions.get(environment) === session) this.sessions.delete(environment);
    };
    session.on('error', forget);
    session.on('close', forget);
    session.on('goaway', forget);
    // An idle connection must not keep a stopping worker alive.
    session.unref();
    this.sessions.set(environment, session);
    return session;
  }

  private request(push: Push, jwt: string): Promise<Answer> {
    const body = payloadOf(push);
    const base = new URL(this.options.urls[push.environment]);
    const path = `${base.pathname.replace(/\/$/, '')}/3/device/${push.deviceToken}`;
    return new Promise<Answer>((resolve, reject) => {
      const stream = this.session(push.environment).request({
        ':method': 'POST',
        ':path': path,
        authorization: `bearer ${jwt}`,
        'apns-topic': this.options.bundleId,
        'apns-push-type': 'alert',
        // 10: deliver now (a visible alert); Apple allows 10 only for pushes that alert the user.
        'apns-priority': '10',
        'apns-expiration': String(push.expiresAt ?? 0),
        ...(push.collapseId ? { 'apns-collapse-id': push.collapseId } : {}),
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.setTimeout(this.options.requestTimeoutMs ?? 10_000, () =>
        stream.close(constants.NGHTTP2_CANCEL),
      );
      stream.on('response', (received) => {
        headers = received;
        status = Number(received[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('close', () => {
        if (status === 0) return reject(new Error('APNs request ended without an answer'));
        resolve({ status, headers, reason: reasonOf(Buffer.concat(chunks).toString('utf8')) });
      });
      stream.end(body);
    });
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), in ms from now. */
function retryAfterOf(headers: IncomingHttpHeaders): number | undefined {
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** APNs answers errors as `{"reason": "..."}`. */
function reasonOf(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const reason = (JSON.parse(text) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}
