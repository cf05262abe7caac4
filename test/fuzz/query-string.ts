import fc from 'fast-check';
import { anyString } from './json.js';
import { pct, rawText } from './values.js';

/** A query string: known parameters (maybe repeated), unknown and pollution keys, broken syntax. */
export function queryString(
  known: Record<string, fc.Arbitrary<string>>,
  valid: fc.Arbitrary<string> = fc.constant(''),
): fc.Arbitrary<string> {
  const names = Object.keys(known);
  // Mostly values of a plausible size; a rare huge one pushes the request head over 16 KiB (431).
  const value = fc.oneof(
    { weight: 20, arbitrary: anyString.filter((v) => v.length <= 300) },
    { weight: 1, arbitrary: anyString },
  );
  const pairs: fc.Arbitrary<string>[] = [
    fc
      .tuple(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          '__proto__[limit]',
          'constructor[prototype][x]',
          'toString',
          'a[]',
          'a[0]',
          'apiKey',
        ),
        value,
      )
      .map(([k, v]) => `${pct(k)}=${pct(v)}`),
    fc.tuple(value, value).map(([k, v]) => `${pct(k)}=${pct(v)}`),
    rawText,
  ];
  if (names.length > 0) {
    const pair = fc
      .constantFrom(...names)
      .chain((k) => known[k]!.filter((v) => v.length <= 1000).map((v) => `${k}=${pct(v)}`));
    pairs.unshift(pair, pair, pair, pair, pair, pair);
    pairs.push(fc.constantFrom(...names).map((k) => k));
  }
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 5, arbitrary: valid },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.array(fc.oneof(...pairs), { maxLength: 5 }),
          fc.constantFrom('&', '&', '&', ';', '&&'),
        )
        .map(([xs, sep]) => xs.join(sep)),
    },
  );
}
