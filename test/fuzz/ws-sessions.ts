import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { auth, type Auth } from './cases.js';
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
import { validScan } from './valid-values.js';
import { mutatedUuid, pct, scanFields } from './values.js';

/**
 * WebSocket fuzz sessions: a handshake with a random key presentation and query, then random text
 * and binary frames (mostly shaped like the protocol's messages), and now and then a last frame the
 * server must close the socket on. ws.ts plays them against the api.
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

export const CLIENT_TYPES = ['subscribe', 'unsubscribe', 'scan'];
/** The gateway's maxPayload: a bigger frame closes the socket with 1009. */
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
