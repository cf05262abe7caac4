import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import WebSocket from 'ws';
import { auth, type Auth } from './cases.js';
import { headBytes, pollutedPath, requestViolations } from './checks.js';
import { authParts, headerObject, withScanIds, type FuzzTarget } from './http.js';
import {
  anyKey,
  anyString,
  dtoText,
  jsonText,
  objectText,
  pollutionMember,
  quote,
  scalarToken,
} from './json.js';
import { mutatedUuid, pct, scanFields, validScan } from './values.js';

/**
 * WebSocket fuzz sessions over a real `ws` client: a handshake with a random key presentation, then
 * random text and binary frames, each followed by a ping whose pong proves the socket survived it.
 * Binary frames are decoded as UTF-8 by the gateway (ws-protocol.ts frameText), so a binary frame
 * holding a JSON message is handled like a text frame. Two protocol-level refusals are expected and
 * checked by their close codes (RFC 6455 §7.4.1): a text frame that is not UTF-8 → 1007, a frame
 * over the gateway's 64 KiB maxPayload → 1009.
 */

export type WsFrame =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array };
export type WsCloser =
  { kind: 'invalid-utf8'; bytes: Uint8Array } | { kind: 'oversize'; size: number };

export interface WsSession {
  auth: Auth;
  query: string;
  frames: WsFrame[];
  /** A last frame the server must refuse by closing with a specific code; null for most sessions. */
  closer: WsCloser | null;
}

const CLIENT_TYPES = ['subscribe', 'unsubscribe', 'scan'];
const SERVER_TYPES = new Set(['accepted', 'progress', 'completed', 'failed', 'error']);
/** Styles the handshake accepts a key in: the HTTP ones plus `?apiKey=` (browsers). */
const WS_STYLES = new Set(['x-api-key', 'bearer', 'bearer-lower', 'padded', 'both', 'query']);
/** Valid keys; only those with the `scan` scope may open the socket (others: 403). */
const VALID_KEYS = new Set(['admin', 'read', 'scan', 'predict']);
const WS_KEYS = new Set(['admin', 'scan']);
const MAX_PAYLOAD = 64 * 1024;

const str = (a: fc.Arbitrary<string>) => a.map(quote);
const typeToken = fc.oneof(
  { weight: 8, arbitrary: str(fc.constantFrom(...CLIENT_TYPES)) },
  {
    weight: 2,
    arbitrary: str(
      fc.constantFrom(
        'SCAN',
        'Subscribe',
        'invalid',
        'dance',
        '',
        '__proto__',
        'constructor',
        'toString',
        'accepted',
        'error',
      ),
    ),
  },
  { weight: 1, arbitrary: jsonText },
  { weight: 1, arbitrary: str(anyString) },
);
const scanIdToken = fc.oneof(
  str(fc.constantFrom('$SCAN_ADMIN', '$SCAN_SCANKEY')),
  str(fc.uuid()),
  str(mutatedUuid),
  str(fc.string({ unit: fc.constantFrom(...'0123456789abcdef-'), minLength: 36, maxLength: 36 })),
  scalarToken,
  jsonText,
);
const member = fc.oneof(
  { weight: 4, arbitrary: scanIdToken.map((t) => `"scanId":${t}`) },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: validScan },
        { weight: 3, arbitrary: dtoText(scanFields) },
        { weight: 1, arbitrary: jsonText },
      )
      .map((t) => `"request":${t}`),
  },
  { weight: 1, arbitrary: fc.tuple(anyKey, scalarToken).map(([k, v]) => `${quote(k)}:${v}`) },
  { weight: 1, arbitrary: pollutionMember },
);
/** A message shaped like the protocol's: almost always a type, then scanId/request/unknown members. */
const message = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(typeToken, fc.array(member, { maxLength: 3 }))
      .map(([t, rest]) => objectText([`"type":${t}`, ...rest])),
  },
  { weight: 1, arbitrary: fc.array(member, { maxLength: 3 }).map(objectText) },
);

const frame: fc.Arbitrary<WsFrame> = fc.oneof(
  { weight: 8, arbitrary: message.map((text): WsFrame => ({ kind: 'text', text })) },
  { weight: 2, arbitrary: jsonText.map((text): WsFrame => ({ kind: 'text', text })) },
  { weight: 2, arbitrary: anyString.map((text): WsFrame => ({ kind: 'text', text })) },
  { weight: 2, arbitrary: message.map((text): WsFrame => ({ kind: 'binary', text })) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): WsFrame => ({ kind: 'bytes', bytes })),
  },
);

const closer: fc.Arbitrary<WsCloser | null> = fc.oneof(
  { weight: 18, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ min: 0x80, max: 0xff, minLength: 1, maxLength: 16 })
      .filter((bytes) => !isUtf8(bytes))
      .map((bytes): WsCloser => ({ kind: 'invalid-utf8', bytes })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: MAX_PAYLOAD + 1, max: 3 * MAX_PAYLOAD })
      .map((size): WsCloser => ({ kind: 'oversize', size })),
  },
);

/** Handshake query junk (never an apiKey parameter: that one is the key presentation under test). */
const wsQuery = fc
  .array(
    fc
      .tuple(
        anyString,
        anyString.filter((v) => v.length <= 300),
      )
      .map(([k, v]) => `${pct(k)}=${pct(v)}`),
    { maxLength: 3 },
  )
  .map((xs) => xs.filter((x) => !/apikey/i.test(decodeURIComponentSafe(x))).join('&'));

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const wsSession: fc.Arbitrary<WsSession> = fc.record({
  auth,
  query: wsQuery,
  frames: fc.array(frame, { minLength: 1, maxLength: 5 }),
  closer,
});

/** What the gateway's parser (ws-protocol.ts) turns into an error frame: not JSON, not an object, unknown type. */
function isInvalidMessage(text: string): boolean {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return true;
  return !CLIENT_TYPES.includes((m as { type?: unknown }).type as string);
}

const isScanMessage = (text: string): boolean =>
  !isInvalidMessage(text) && (JSON.parse(text) as { type: string }).type === 'scan';

function until(check: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = () =>
      check() ? resolve(true) : Date.now() - started > ms ? resolve(false) : setTimeout(tick, 10);
    tick();
  });
}

/** Runs one session; returns how many cases it was (frames sent, or 1 for a refused handshake) and every violation seen. */
export async function runWsSession(
  s: WsSession,
  target: FuzzTarget,
): Promise<{ cases: number; refused: boolean; problems: string[] }> {
  const parts = authParts(s.auth, target);
  const query = [s.query, parts.query].filter(Boolean).join('&');
  const socket = new WebSocket(`ws://${target.url.host}/v1/ws${query ? `?${query}` : ''}`, {
    headers: headerObject(parts.headers),
    handshakeTimeout: 10_000,
  });
  const problems: string[] = [];
  const seen = { error: 0, accepted: 0, pongs: 0, closed: null as number | null };
  socket.on('message', (data, isBinary) => {
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(data.toString()) as Record<string, unknown>;
    } catch {
      return problems.push(`non-JSON frame ${JSON.stringify(data.toString().slice(0, 100))}`);
    }
    if (isBinary) problems.push('a binary frame from the server');
    if (!SERVER_TYPES.has(f['type'] as string))
      problems.push(`frame of unknown type ${JSON.stringify(f['type'])}`);
    if (f['type'] === 'error' && typeof f['message'] !== 'string')
      problems.push('an error frame without a message');
    const polluted = pollutedPath(f);
    if (polluted) problems.push(`frame carries injected key ${polluted}`);
    const request = (f['scan'] as { request?: Record<string, unknown> } | undefined)?.request;
    if (request) problems.push(...requestViolations(request));
    if (f['type'] === 'error') seen.error++;
    if (f['type'] === 'accepted') seen.accepted++;
  });
  socket.on('pong', () => seen.pongs++);
  socket.on('close', (code) => (seen.closed = code));
  socket.on('error', () => {});

  const handshake = await new Promise<
    { status: number; type: string; body: string } | 'open' | Error
  >((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (e) => resolve(e));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body,
        }),
      );
    });
  });
  const usable = WS_STYLES.has(s.auth.style) && WS_KEYS.has(s.auth.key);
  if (handshake !== 'open') {
    socket.terminate();
    if (handshake instanceof Error)
      return { cases: 1, refused: true, problems: [`handshake failed: ${handshake.message}`] };
    // A head over Node's 16 KiB limit is refused before the gateway sees it.
    const refusal = WS_STYLES.has(s.auth.style) && VALID_KEYS.has(s.auth.key) ? 403 : 401;
    const expected =
      headBytes(s) > 16_000 ? [431] : headBytes(s) > 8000 ? [refusal, 431] : [refusal];
    if (usable && handshake.status !== 431)
      problems.push(`handshake refused with ${handshake.status} for a usable key`);
    if (!expected.includes(handshake.status))
      problems.push(`handshake answered ${handshake.status}, expected ${expected.join(' or ')}`);
    if (!handshake.type.startsWith('application/problem+json'))
      problems.push(`handshake ${handshake.status} with content-type "${handshake.type}"`);
    return { cases: 1, refused: true, problems };
  }
  if (!usable) problems.push('handshake accepted without a usable key');

  let expectedAnswers = 0;
  let cases = 0;
  for (const f of s.frames) {
    const text =
      f.kind === 'bytes' ? Buffer.from(f.bytes).toString('utf8') : withScanIds(f.text, target);
    socket.send(
      f.kind === 'bytes' ? Buffer.from(f.bytes) : f.kind === 'binary' ? Buffer.from(text) : text,
      {
        binary: f.kind !== 'text',
      },
    );
    cases++;
    if (isInvalidMessage(text) || isScanMessage(text)) expectedAnswers++;
    const pongs = seen.pongs;
    socket.ping();
    if (!(await until(() => seen.pongs > pongs || seen.closed !== null, 10_000)))
      problems.push('no pong within 10 s');
    if (seen.closed !== null)
      return {
        cases,
        refused: false,
        problems: [
          ...problems,
          `server closed the socket with ${seen.closed} after frame ${cases}`,
        ],
      };
  }
  // Every invalid frame gets an error frame, every scan message an accepted or error frame.
  if (!(await until(() => seen.error + seen.accepted >= expectedAnswers, 10_000))) {
    problems.push(
      `${seen.error + seen.accepted} answers to ${expectedAnswers} frames that each need one`,
    );
  }
  if (s.closer) {
    const expected = s.closer.kind === 'invalid-utf8' ? 1007 : 1009;
    socket.send(
      s.closer.kind === 'invalid-utf8'
        ? Buffer.from(s.closer.bytes)
        : Buffer.alloc(s.closer.size, 0x61),
      {
        binary: s.closer.kind === 'oversize',
      },
    );
    cases++;
    if (!(await until(() => seen.closed !== null, 10_000)))
      problems.push(`socket still open after a frame that must close it with ${expected}`);
    else if (seen.closed !== expected)
      problems.push(`closed with ${seen.closed}, expected ${expected}`);
  } else {
    socket.close(1000);
    if (!(await until(() => seen.closed !== null, 5000))) socket.terminate();
  }
  return { cases, refused: false, problems };
}
