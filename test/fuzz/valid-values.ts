import fc from 'fast-check';
import { pct, PROFILES, REAL_SYMBOLS, SECTORS } from './values.js';

/**
 * Valid bodies and query strings: a good share of cases passes validation and reaches the
 * services, PostgreSQL and the engine. Hostile values: values.ts.
 */

/** Valid field values, as plain JS (serialized with JSON.stringify, so they are valid JSON too). */
const validName = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => s.trim().length > 0 && !s.includes('\u0000'));
const validText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 });
const validDate = fc
  .integer({ min: Date.UTC(2013, 0, 1), max: Date.UTC(2018, 1, 7) })
  .map((t) => new Date(t).toISOString().slice(0, 10));

export const validItem = fc
  .record(
    {
      symbol: fc.oneof(fc.stringMatching(/^ZZ[A-Z0-9]{1,6}$/), fc.constantFrom(...REAL_SYMBOLS)),
      name: validName,
      sector: fc.constantFrom(...SECTORS),
      description: fc.string({ maxLength: 60 }).filter((s) => !s.includes('\u0000')),
      industry: fc.oneof(validName, fc.constant(null)),
      active: fc.boolean(),
    },
    { requiredKeys: ['symbol', 'name', 'sector'] },
  )
  .map((o) => JSON.stringify(o));

export const validPatch = fc
  .record(
    {
      name: validName,
      sector: fc.constantFrom(...SECTORS),
      description: fc.string({ maxLength: 60 }).filter((s) => !s.includes('\u0000')),
      industry: fc.oneof(validName, fc.constant(null)),
      active: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

export const validPredict = validText.map((text) => JSON.stringify({ text }));
export const validBatch = fc
  .array(validText, { minLength: 1, maxLength: 8 })
  .map((texts) => JSON.stringify({ texts }));

/**
 * A fixed set of valid scan requests: they reach the queue and the worker, and repeat often enough
 * to be answered from the cache, so the worker's load stays bounded.
 */
export const validScan = fc
  .constantFrom<Record<string, unknown>>(
    {},
    { maxSymbols: 3 },
    { sectors: ['technology'] },
    { symbols: ['AAPL', 'MSFT', 'XOM'], minTechRating: 0 },
    { profile: 'aggressive', minTechRating: 0, maxSymbols: 10 },
    { profile: 'conservative' },
    { asOf: '2016-06-30', maxSymbols: 5 },
    { accountSize: 50_000, riskPct: 2.5, targetRR: 3 },
    { direction: 'short', maxSymbols: 5 },
    { direction: 'both', asOf: '2016-07-02' },
    { sectors: ['Energy', 'utilities'], maxSymbols: 500, minTechRating: 100 },
    { symbols: ['brk.b', ' jpm '], asOf: '2014-01-02' },
  )
  .map((o) => JSON.stringify(o));

/** Valid query strings (already encoded). */
const encode = (o: Record<string, string | number | boolean>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${pct(String(v))}`)
    .join('&');
export const validItemsQuery = fc
  .record(
    {
      sector: fc.constantFrom(...SECTORS),
      q: fc.constantFrom('a', 'corp', 'AAPL', 'inc', 'é', '%', '_'),
      active: fc.boolean(),
      limit: fc.integer({ min: 1, max: 200 }),
      cursor: fc.constantFrom(...REAL_SYMBOLS).map((s) => Buffer.from(s).toString('base64url')),
    },
    { requiredKeys: [] },
  )
  .map(encode);
export const validAnalysisQuery = fc
  .record({ asOf: validDate, profile: fc.constantFrom(...PROFILES) }, { requiredKeys: [] })
  .map(encode);
export const validBarsQuery = fc
  .record(
    {
      from: validDate,
      to: validDate,
      interval: fc.constantFrom('day', 'week', 'month'),
      limit: fc.integer({ min: 1, max: 2000 }),
    },
    { requiredKeys: [] },
  )
  .map(encode);
export const validHistoryQuery = fc
  .record(
    {
      status: fc.constantFrom('queued', 'running', 'completed', 'failed'),
      limit: fc.integer({ min: 1, max: 100 }),
    },
    { requiredKeys: [] },
  )
  .map(encode);
export const validWaitQuery = fc.constantFrom('', 'wait=0', 'wait=0.5', 'wait=1');
