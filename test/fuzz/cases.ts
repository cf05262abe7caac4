import fc from 'fast-check';
import { routes } from './routes.js';

/**
 * Arbitraries for HTTP fuzz cases: every route of DESIGN §3 plus health, metrics, docs and stray
 * methods/paths, each with random path parameters, query strings, headers and bodies. A case is
 * plain data (symbolic where it needs runtime values: keys, scan ids), so fast-check prints a
 * readable counterexample and shrinks it.
 */

/** Which key a case presents (resolved at run time) and how. */
export type KeyRef =
  'admin' | 'read' | 'scan' | 'predict' | 'revoked' | 'unknown' | 'garbage' | 'none';
export type KeyStyle =
  | 'x-api-key'
  | 'bearer'
  | 'bearer-lower'
  | 'padded'
  | 'both'
  | 'duplicate'
  | 'basic'
  | 'bearer-empty'
  | 'empty'
  | 'query'
  | 'long';
export interface Auth {
  key: KeyRef;
  style: KeyStyle;
}

export type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  /** Concatenation of each string repeated n times: deep nesting and huge strings without huge counterexamples. */
  | { kind: 'repeat'; parts: [string, number][] };

export type Scope = 'read' | 'scan' | 'predict' | 'admin' | 'install' | null;

export interface HttpCase {
  /** The route template this case aims at (for the report; the server decides what it really hits). */
  route: string;
  /** The scope that route needs; null for public routes and stray requests. */
  scope: Scope;
  method: string;
  /** Percent-encoded path; `$SCAN_ADMIN` / `$SCAN_SCANKEY` stand for scan ids known at run time. */
  path: string;
  /** Raw query string without `?`; empty for none. */
  query: string;
  auth: Auth;
  headers: [string, string][];
  body: Body;
}

export const auth: fc.Arbitrary<Auth> = fc.record({
  key: fc.oneof(
    { weight: 10, arbitrary: fc.constant<KeyRef>('admin') },
    { weight: 6, arbitrary: fc.constantFrom<KeyRef>('read', 'scan', 'predict') },
    { weight: 2, arbitrary: fc.constantFrom<KeyRef>('revoked', 'unknown', 'garbage', 'none') },
  ),
  style: fc.oneof(
    { weight: 14, arbitrary: fc.constant<KeyStyle>('x-api-key') },
    { weight: 4, arbitrary: fc.constantFrom<KeyStyle>('bearer', 'bearer-lower', 'padded', 'both') },
    {
      weight: 2,
      arbitrary: fc.constantFrom<KeyStyle>(
        'duplicate',
        'basic',
        'bearer-empty',
        'empty',
        'query',
        'long',
      ),
    },
  ),
});

/** Header values Node lets through: tab, printable ASCII and Latin-1 bytes (not valid UTF-8 on the wire). */
const headerText = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\t',
      ' ',
      'a',
      '0',
      ',',
      ';',
      '=',
      '"',
      '\u00e9',
      '\u00ff',
      '\u0080',
      '\u00a0',
    ),
    maxLength: 12,
  }),
  fc.integer({ min: 200, max: 9000 }).map((n) => 'x'.repeat(n)),
);

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=latin1',
  'application/json; charset=utf-16',
  'application/problem+json',
  'application/vnd.api+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'json',
  '',
  ';',
  'application/json; boundary',
  'application/json, text/plain',
];
const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 30, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: headerText },
);

/** Extra headers: forwarding, request ids, content negotiation, encodings, and random names. */
const extraHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant('X-Forwarded-For'),
    fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.array(fc.ipV4(), { maxLength: 4 }).map((a) => a.join(', ')),
      headerText,
    ),
  ),
  fc.tuple(fc.constant('X-Request-Id'), fc.oneof(fc.uuid(), headerText)),
  fc.tuple(
    fc.constant('Expect'),
    fc.oneof(fc.constantFrom('100-continue', '100-Continue', 'foo', '', '200-ok'), headerText),
  ),
  fc.tuple(
    fc.constant('Accept'),
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/problem+json',
        'text/html',
        'application/xml',
        '*/*',
        'image/png;q=0.1',
        '',
      ),
      headerText,
    ),
  ),
  fc.tuple(
    fc.constantFrom(
      'Accept-Encoding',
      'Content-Encoding',
      'Accept-Language',
      'Origin',
      'Cookie',
      'Range',
      'If-None-Match',
      'Cache-Control',
      'Forwarded',
      'X-Real-IP',
      'X-HTTP-Method-Override',
    ),
    headerText,
  ),
  fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/), headerText),
);

/** One HTTP fuzz case. */
export const httpCase: fc.Arbitrary<HttpCase> = fc
  .tuple(routes, auth, contentType, fc.array(extraHeader, { maxLength: 3 }))
  .map(([r, a, ct, extra]) => {
    const hasBody = r.body.kind !== 'none';
    // Most bodies carry a Content-Type; some cases send one without a body, or a body without one.
    const headers: [string, string][] =
      ct !== null && (hasBody || ct !== 'application/json')
        ? [['Content-Type', ct], ...extra]
        : extra;
    return { ...r, auth: a, headers };
  });
