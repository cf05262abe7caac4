import fc from 'fast-check';
import type { Body } from './cases.js';

/**
 * JSON *text* and request body generators for the fuzz suite. Bodies are built as text, not with JSON.stringify, so
 * that `__proto__` is a real own key on the wire (as a hostile client would send it), keys can
 * repeat, and numbers can be tokens no JS number round-trips (1e400, -0, 30 significant digits).
 */

/** The key every pollution payload carries: if it ever shows up in a response, the server was polluted. */
export const POLLUTION_MARK = 'pollutedByFuzz';

/**
 * What an attacker would set on Object.prototype: the marker plus keys whose inherited value would
 * visibly change behaviour (page size, item state, scan defaults, scopes).
 */
export const POLLUTION_PAYLOAD = JSON.stringify({
  [POLLUTION_MARK]: true,
  limit: 1,
  active: false,
  maxSymbols: 1,
  profile: 'aggressive',
  minTechRating: 99,
  scopes: ['admin'],
  status: 200,
});

/** `{"__proto__": payload}`, `{"constructor": {"prototype": payload}}` and friends, as object members. */
export const pollutionMember: fc.Arbitrary<string> = fc.constantFrom(
  `"__proto__":${POLLUTION_PAYLOAD}`,
  `"constructor":{"prototype":${POLLUTION_PAYLOAD}}`,
  `"prototype":${POLLUTION_PAYLOAD}`,
  `"__proto__":{"__proto__":${POLLUTION_PAYLOAD}}`,
  `"constructor":${POLLUTION_PAYLOAD}`,
  `"__proto__":null`,
  `"__proto__":[]`,
  `"__proto__":"x"`,
);

/** Strings: printable, full unicode (lone surrogates included), control characters, NUL, long. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0001',
        '\n',
        '\t',
        '\u007f',
        '\u2028',
        '\ufeff',
        '\ud800',
        '%',
        '\\',
        '"',
        "'",
      ),
      maxLength: 6,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '   ',
      'null',
      'true',
      '0',
      '-1',
      'NaN',
      'Infinity',
      '__proto__',
      'constructor',
      '<script>',
      "' OR 1=1 --",
      '%00',
      '../..',
      'ÅÄÖ',
      '株式',
      '🙂',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', 'Z', '1', '界', '🙂', '\u0000'),
        fc.integer({ min: 60, max: 5000 }),
      )
      .map(([c, n]) => c.repeat(n)),
  },
);

/** A JSON string token for `s`. */
export const quote = (s: string): string => JSON.stringify(s);

/** Number tokens, including ones that overflow, underflow or lose precision. */
export const numberToken: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom(
    '0',
    '-0',
    '1',
    '-1',
    '0.5',
    '1e400',
    '-1e400',
    '1e-400',
    '9007199254740993',
    '123456789012345678901234567890',
    '1.0000000000000001',
    '2.5e2',
    '1E2',
    '0.0',
  ),
);

/** A JSON scalar as text. */
export const scalarToken: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false'),
  numberToken,
  anyString.map(quote),
);

/** Object keys: plain, empty, unicode, and the names prototype pollution relies on. */
export const anyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '',
      ' ',
      'type',
      'data',
      'length',
      '0',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

/** `{k: v, ...}` from pre-rendered members. */
export const objectText = (members: string[]): string => `{${members.join(',')}}`;

/** Any JSON value as text, nested a few levels, with pollution members mixed into objects. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  array: string;
  object: string;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarToken,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }).map((xs) => `[${xs.join(',')}]`),
  object: fc
    .array(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.tuple(anyKey, tie('value')).map(([k, v]) => `${quote(k)}:${v}`),
        },
        { weight: 1, arbitrary: pollutionMember },
      ),
      { maxLength: 5 },
    )
    .map(objectText),
})).value;

/**
 * An object for a DTO: each member is a known field with a plausible value, a known field with a
 * value of the wrong type, an unknown key, or a pollution member. `fields` maps field → value tokens.
 */
export function dtoText(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const known = fc
    .constantFrom(...names)
    .chain((name) => fields[name]!.map((v) => `${quote(name)}:${v}`));
  const wrongType = fc
    .tuple(fc.constantFrom(...names), jsonText)
    .map(([name, v]) => `${quote(name)}:${v}`);
  const unknown = fc.tuple(anyKey, scalarToken).map(([k, v]) => `${quote(k)}:${v}`);
  const member = fc.oneof(
    { weight: 12, arbitrary: known },
    { weight: 2, arbitrary: wrongType },
    { weight: 1, arbitrary: unknown },
    { weight: 1, arbitrary: pollutionMember },
  );
  return fc.oneof(
    // Mostly only known fields, so that a good share of bodies is valid and reaches the service.
    {
      weight: 3,
      arbitrary: fc
        .uniqueArray(known, {
          maxLength: names.length,
          selector: (m) => m.slice(0, m.indexOf('":') + 1),
        })
        .map(objectText),
    },
    { weight: 3, arbitrary: fc.array(member, { maxLength: 6 }).map(objectText) },
    { weight: 1, arbitrary: jsonText },
  );
}

/** A JSON array of `item` tokens. */
export const arrayText = (item: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> =>
  fc.array(item, { maxLength }).map((xs) => `[${xs.join(',')}]`);

/** Bodies no client should send: empty, non-JSON and invalid UTF-8 bytes, truncated, BOM, deeply nested, huge. */
export const junkBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: 'none' }),
  fc.constantFrom<Body>(
    { kind: 'text', text: '' },
    { kind: 'text', text: ' ' },
    { kind: 'text', text: 'null' },
    { kind: 'text', text: '\ufeff{}' },
    { kind: 'text', text: 'a=1&__proto__[x]=1&b=2' },
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes): Body => ({ kind: 'bytes', bytes })),
  fc
    .tuple(
      fc.constantFrom('text', 'name', 'symbol', 'x'),
      fc.uint8Array({ min: 0x80, max: 0xff, minLength: 1, maxLength: 8 }),
    )
    .map(([k, b]): Body => ({
      kind: 'bytes',
      bytes: Buffer.concat([Buffer.from(`{"${k}":"`), b, Buffer.from('"}')]),
    })),
  jsonText.chain((t) =>
    fc.nat(Math.max(0, t.length - 1)).map((n): Body => ({ kind: 'text', text: t.slice(0, n) })),
  ),
  fc
    .tuple(
      fc.constantFrom(
        ['', ''],
        ['{"x":', '}'],
        ['{"sectors":', '}'],
        ['{"texts":', '}'],
        ['{"name":', '}'],
      ),
      fc.constantFrom(['[', ']'], ['{"a":', '}']),
      fc.integer({ min: 100, max: 150_000 }),
    )
    .map(([[pre, post], [open, close], n]): Body => ({
      kind: 'repeat',
      parts: [
        [pre, 1],
        [open, n],
        ['1', 1],
        [close, n],
        [post, 1],
      ],
    })),
  fc
    .tuple(
      fc.constantFrom('text', 'name', 'description', 'q'),
      fc.constantFrom(2001, 70_000, 1_048_600, 1_300_000),
    )
    .map(([k, n]): Body => ({
      kind: 'repeat',
      parts: [
        [`{"${k}":"`, 1],
        ['a', n],
        ['"}', 1],
      ],
    })),
);

const text = (a: fc.Arbitrary<string>) => a.map((t): Body => ({ kind: 'text', text: t }));
export const bodyOf = (
  valid: fc.Arbitrary<string>,
  dto: fc.Arbitrary<string>,
): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 8, arbitrary: text(valid) },
    { weight: 8, arbitrary: text(dto) },
    { weight: 2, arbitrary: junkBody },
  );

export const noBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  { weight: 1, arbitrary: junkBody },
);
