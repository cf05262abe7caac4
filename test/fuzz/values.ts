import fc from 'fast-check';
import { anyString, arrayText, numberToken, quote } from './json.js';

/**
 * Values for path parameters, query parameters and body fields, hostile ones mixed with plausible
 * ones; the always-valid bodies and queries that carry a good share of cases through validation
 * to the services, PostgreSQL and the engine: valid-values.ts.
 */

export const REAL_SYMBOLS = ['AAPL', 'MSFT', 'BRK.B', 'A', 'XOM', 'JPM', 'GOOGL', 'T'];
export const SECTORS = [
  'Utilities',
  'Information Technology',
  'technology',
  'health care',
  'FINANCIALS',
  'Real Estate',
  'Energy',
  'Telecommunication Services',
];
export const PROFILES = ['conservative', 'balanced', 'aggressive'];

/** Percent-encodes every byte of the UTF-8 form except unreserved characters (lone surrogates become U+FFFD). */
export const pct = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Path or query text as a hostile client writes it: raw sub-delimiters, broken and odd %-escapes. */
export const rawText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '.',
        '..',
        '%',
        '%00',
        '%2F',
        '%2f',
        '%5C',
        '%25',
        '%ZZ',
        '%C3%28',
        '%FF',
        '%E2%82',
        '%F0%9F%99%82',
        ';',
        ',',
        ':',
        '@',
        '!',
        '$',
        "'",
        '(',
        ')',
        '*',
        '+',
        '=',
        '~',
        '#',
        '[',
        ']',
        '|',
        '\\',
        '^',
        '`',
        '{',
        '}',
        '"',
        '<',
        '>',
      ),
      fc.string({ unit: fc.constantFrom(...'ABZabz0159_-'), maxLength: 4 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((xs) => xs.join(''));

/** A path parameter: real, valid-looking, unicode, raw or too long. */
export const symbolSegment: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom(...REAL_SYMBOLS, 'aapl', ' AAPL ', 'ZZFUZZ', 'brk.b').map(pct),
  },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/).map(pct) },
  { weight: 3, arbitrary: anyString.filter((s) => s.length <= 300).map(pct) },
  { weight: 2, arbitrary: rawText },
  { weight: 1, arbitrary: fc.integer({ min: 90, max: 4000 }).map((n) => 'A'.repeat(n)) },
);

/** A uuid with one mutation: a dash moved or dropped, a character replaced or added. */
export const mutatedUuid: fc.Arbitrary<string> = fc
  .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('-', '0', 'f', 'g', 'F', ''), fc.boolean())
  .map(([u, at, ch, insert]) =>
    insert ? u.slice(0, at) + ch + u.slice(at) : u.slice(0, at) + ch + u.slice(at + 1),
  );

export const scanIdSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('$SCAN_ADMIN', '$SCAN_SCANKEY') },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 3, arbitrary: mutatedUuid },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF-'),
      minLength: 30,
      maxLength: 40,
    }),
  },
  { weight: 2, arbitrary: anyString.filter((s) => s.length <= 200).map(pct) },
  { weight: 1, arbitrary: rawText },
);

/** Raw value arbitraries for known query parameters (before encoding). */
export const dateText = fc.oneof(
  fc
    .integer({ min: Date.UTC(2012, 0, 1), max: Date.UTC(2019, 0, 1) })
    .map((t) => new Date(t).toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  fc.constantFrom(
    '2018-02-07',
    '2016-02-29',
    '2017-02-29',
    '0000-01-01',
    '0001-01-01',
    '9999-12-31',
    '2018-2-7',
    '2018-02-07T00:00:00Z',
    '20180207',
    '',
  ),
  anyString,
);
export const numberText = fc.oneof(
  numberToken,
  fc.constantFrom(
    '',
    ' 5',
    '5 ',
    '0x10',
    '1e3',
    'NaN',
    'Infinity',
    '-Infinity',
    '1_000',
    '٣',
    '+5',
    '5.0',
  ),
  anyString,
);

/** ?wait= values: valid ones stay ≤ 1 s (no case may hold the response long), the rest are invalid. */
export const waitText = fc
  .oneof(
    fc.constantFrom('0', '0.2', '0.5', '1', '', '-1', '31', '1e309', 'NaN', 'abc', ' ', '0x1'),
    fc.double({ min: 0, max: 1, noNaN: true }).map(String),
    anyString,
  )
  .filter((v) => !(Number(v) > 1 && Number(v) <= 30));

export const cursorText = fc.oneof(
  fc.constantFrom(...REAL_SYMBOLS).map((s) => Buffer.from(s).toString('base64url')),
  fc.base64String({ maxLength: 40 }),
  anyString,
);

/** Field values as JSON tokens. */
const str = (a: fc.Arbitrary<string>) => a.map(quote);
export const sectorTok = fc.oneof(str(fc.constantFrom(...SECTORS)), str(anyString));
export const symbolTok = fc.oneof(
  str(fc.constantFrom(...REAL_SYMBOLS)),
  str(fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/)),
  str(anyString),
);
const boolTok = fc.constantFrom('true', 'false', '"true"', '1', 'null');
export const textTok = fc.oneof(
  str(
    fc.constantFrom(
      'Apple beats estimates and raises guidance',
      'Shares plunge after the company cuts its outlook',
      '',
      ' ',
      'x'.repeat(2000),
      'y'.repeat(2001),
    ),
  ),
  str(anyString),
);
const pick = (...xs: (string | number)[]) => fc.constantFrom(...xs.map(String));

export const itemFields = {
  name: str(anyString),
  description: str(anyString),
  sector: sectorTok,
  industry: fc.oneof(str(anyString), fc.constant('null')),
  active: boolTok,
};
export const scanFields = {
  sectors: fc.oneof(arrayText(sectorTok, 3), fc.constantFrom('[]', 'null', '"Energy"')),
  symbols: fc.oneof(
    arrayText(symbolTok, 4),
    fc
      .integer({ min: 499, max: 502 })
      .map((n) => `[${Array.from({ length: n }, () => '"AAPL"').join(',')}]`),
  ),
  maxSymbols: fc.oneof(pick(1, 3, 5, 25, 0, 501, -1, 1.5, '"5"'), numberToken),
  minTechRating: fc.oneof(pick(0, 40, 55, 100, -1, 101, 'null'), numberToken),
  profile: fc.oneof(str(fc.constantFrom(...PROFILES, 'BALANCED', 'reckless')), str(anyString)),
  direction: fc.oneof(
    str(fc.constantFrom('long', 'short', 'both', 'LONG', 'sideways')),
    str(anyString),
  ),
  asOf: str(dateText),
  accountSize: fc.oneof(pick(100, 10000, 1e9, 99, 1e10), numberToken),
  riskPct: fc.oneof(pick(0.1, 1, 2.5, 5, 0.09, 5.1, 0, 100), numberToken),
  targetRR: fc.oneof(pick(0.1, 2, 20, 0.09, 21), numberToken),
};
