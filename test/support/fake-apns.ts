import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { makeCertificates } from './tls-services.js';

/** The team and key ids the fake expects in the provider token (10 characters, like Apple's). */
export const FAKE_TEAM_ID = 'TEAM123456';
export const FAKE_KEY_ID = 'KEY1234567';
export const FAKE_BUNDLE_ID = 'com.example.marketscanner';

/** One request the fake accepted for checking (whatever it answered). */
export interface RecordedPush {
  environment: 'production' | 'sandbox';
  deviceToken: string;
  headers: IncomingHttpHeaders;
  payload: {
    aps: { alert: { title: string; body: string }; [key: string]: unknown };
    [key: string]: unknown;
  };
  /** The provider token as sent, and its `iat`. */
  jwt: string;
  iat: number;
  status: number;
  reason?: string;
}

/** An answer on cue: a status, APNs's reason, and Retry-After seconds if any. */
export interface Cue {
  status: 200 | 400 | 403 | 410 | 429 | 500 | 503;
  reason?: string;
  retryAfterSeconds?: number;
}

/** Apple's reason for each status when a cue names none. */
const DEFAULT_REASON: Record<Cue['status'], string | undefined> = {
  200: undefined,
  400: 'BadDeviceToken',
  403: 'ExpiredProviderToken',
  410: 'Unregistered',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

export interface FakeApns {
  /** Base URLs to configure (APNS_PRODUCTION_URL, APNS_SANDBOX_URL): paths tell them apart. */
  urls: { production: string; sandbox: string };
  /** The CA that signed the fake's certificate (APNS_CA_FILE), and its text. */
  caFile: string;
  ca: string;
  /** The .p8 file (PKCS #8 PEM) the fake verifies signatures against (APNS_KEY_FILE), and its text. */
  keyFile: string;
  keyPem: string;
  /** The environment variables that point a worker at the fake. */
  env: Record<string, string>;
  /** Every request, in arrival order. */
  pushes: RecordedPush[];
  /** Answers the next requests for `deviceToken` with these, in order; then 200 again. */
  cue(deviceToken: string, ...answers: Cue[]): void;
  /** `deviceToken` is answered 410 Unregistered from now on (the app was deleted). */
  unregister(deviceToken: string): void;
  /** Requests the fake refused for a broken contract (a bad signature, a missing header…). */
  violations: string[];
  close(): Promise<void>;
}

const TOKEN_PATH = /^\/(production|sandbox)\/3\/device\/([0-9a-f]+)$/;

/**
 * A local HTTP/2 fake of APNs over TLS (a CA and certificate made now with openssl): it verifies the
 * provider token's ES256 signature against the public half of a key pair made now, its `kid`, `iss`
 * and `iat` (not older than an hour), the headers (apns-topic, apns-push-type, apns-priority,
 * apns-expiration, apns-collapse-id) and the payload (JSON, at most 4 KB, `aps.alert` with title
 * and body), records every request, and answers 200 or, on cue, 400, 403, 410, 429, 500 or 503 the
 * way Apple does. Nothing leaves the machine: it listens on 127.0.0.1 only.
 */
export async function startFakeApns(
  dir: string,
  { record = true }: { record?: boolean } = {},
): Promise<FakeApns> {
  const certs = makeCertificates(dir);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyFile = join(dir, `AuthKey_${FAKE_KEY_ID}.p8`);
  writeFileSync(keyFile, keyPem, { mode: 0o600 });

  const pushes: RecordedPush[] = [];
  const violations: string[] = [];
  const cues = new Map<string, Cue[]>();
  const dead = new Set<string>();

  const server: Http2SecureServer = createSecureServer({
    cert: readFileSync(certs.cert),
    key: readFileSync(certs.key),
    allowHTTP1: false,
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      void handle(stream, headers, Buffer.concat(chunks), publicKey).catch((error: unknown) =>
        answer(stream, { status: 500, reason: `fake failed: ${(error as Error).message}` }),
      );
    });
  });

  async function handle(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    body: Buffer,
    key: KeyObject,
  ): Promise<void> {
    const refuse = (status: number, reason: string) => {
      violations.push(`${status} ${reason}`);
      answer(stream, { status, reason });
    };
    const match = TOKEN_PATH.exec(String(headers[':path']));
    if (headers[':method'] !== 'POST' || !match) return refuse(400, 'BadPath');
    const [, environment, deviceToken] = match as unknown as [
      string,
      'production' | 'sandbox',
      string,
    ];

    const auth = String(headers['authorization'] ?? '');
    if (!auth.startsWith('bearer ')) return refuse(403, 'MissingProviderToken');
    const jwt = auth.slice('bearer '.length);
    let iat: number;
    try {
      const { kid, alg } = decodeProtectedHeader(jwt);
      if (alg !== 'ES256' || kid !== FAKE_KEY_ID) throw new Error('kid/alg');
      const { payload } = await jwtVerify(jwt, key, {
        issuer: FAKE_TEAM_ID,
        algorithms: ['ES256'],
      });
      iat = Number(payload.iat);
      if (!Number.isInteger(iat)) throw new Error('iat');
    } catch {
      return refuse(403, 'InvalidProviderToken');
    }
    if (Date.now() / 1000 - iat > 3600) return refuse(403, 'ExpiredProviderToken');

    if (headers['apns-topic'] !== FAKE_BUNDLE_ID) return refuse(400, 'BadTopic');
    if (headers['apns-push-type'] !== 'alert') return refuse(400, 'InvalidPushType');
    if (!['5', '10'].includes(String(headers['apns-priority']))) return refuse(400, 'BadPriority');
    if (!/^\d+$/.test(String(headers['apns-expiration']))) return refuse(400, 'BadExpirationDate');
    const collapseId = headers['apns-collapse-id'];
    if (collapseId !== undefined && Buffer.byteLength(String(collapseId)) > 64)
      return refuse(400, 'BadCollapseId');
    if (body.length === 0) return refuse(400, 'PayloadEmpty');
    if (body.length > 4096) return refuse(413, 'PayloadTooLarge');
    let payload: RecordedPush['payload'];
    try {
      payload = JSON.parse(body.toString('utf8')) as RecordedPush['payload'];
      const alert = payload.aps?.alert;
      if (typeof alert?.title !== 'string' || typeof alert.body !== 'string') throw new Error();
    } catch {
      return refuse(400, 'BadPayload');
    }

    const cued = cues.get(deviceToken)?.shift();
    const reply: Cue = dead.has(deviceToken) ? { status: 410 } : (cued ?? { status: 200 });
    const reason = reply.reason ?? DEFAULT_REASON[reply.status];
    // A bench sends tens of thousands: it asks for no record, so the fake's memory stays flat.
    if (record)
      pushes.push({
        environment,
        deviceToken,
        headers,
        payload,
        jwt,
        iat,
        status: reply.status,
        reason,
      });
    answer(stream, { ...reply, reason });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `https://localhost:${(server.address() as AddressInfo).port}`;
  const urls = { production: `${base}/production`, sandbox: `${base}/sandbox` };
  return {
    urls,
    caFile: certs.ca,
    ca: readFileSync(certs.ca, 'utf8'),
    keyFile,
    keyPem,
    env: {
      APNS_TEAM_ID: FAKE_TEAM_ID,
      APNS_KEY_ID: FAKE_KEY_ID,
      APNS_KEY_FILE: keyFile,
      APNS_BUNDLE_ID: FAKE_BUNDLE_ID,
      APNS_PRODUCTION_URL: urls.production,
      APNS_SANDBOX_URL: urls.sandbox,
      APNS_CA_FILE: certs.ca,
    },
    pushes,
    violations,
    cue: (deviceToken, ...answers) =>
      cues.set(deviceToken, [...(cues.get(deviceToken) ?? []), ...answers]),
    unregister: (deviceToken) => dead.add(deviceToken),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client sessions would hold close() forever.
        for (const session of sessions) session.destroy();
      }),
  };
}

function answer(
  stream: ServerHttp2Stream,
  {
    status,
    reason,
    retryAfterSeconds,
  }: { status: number; reason?: string; retryAfterSeconds?: number },
): void {
  if (stream.destroyed) return;
  const headers: Record<string, string | number> = { ':status': status, 'apns-id': randomUUID() };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = retryAfterSeconds;
  if (status === 200) {
    stream.respond(headers, { endStream: true });
    return;
  }
  stream.respond({ ...headers, 'content-type': 'application/json' });
  stream.end(JSON.stringify(status === 410 ? { reason, timestamp: Date.now() } : { reason }));
}
