import type { Auth, Body, HttpCase } from './cases.js';

/**
 * Counterexamples the fuzz suite found (each was a 500 or a non-problem 4xx before its fix), kept as
 * fixed cases with the status the contract asks for. They run on every `npm test`, whatever the seed.
 */
export interface Regression {
  name: string;
  case: HttpCase;
  status: number;
}

const admin: Auth = { key: 'admin', style: 'x-api-key' };
const none: Body = { kind: 'none' };
const json = (text: string): Pick<HttpCase, 'headers' | 'body'> => ({
  headers: [['Content-Type', 'application/json']],
  body: { kind: 'text', text },
});
const get = (route: string, scope: HttpCase['scope'], path: string, query = ''): HttpCase => ({
  route,
  scope,
  method: 'GET',
  path,
  query,
  auth: admin,
  headers: [],
  body: none,
});

/** A JSON-body request as the admin key (`text` is sent as it is, so it may hold \u0000 escapes). */
const send = (
  route: string,
  scope: HttpCase['scope'],
  method: 'POST' | 'PATCH',
  path: string,
  text: string,
): HttpCase => ({
  route,
  scope,
  method,
  path,
  query: '',
  auth: admin,
  ...json(text),
});

export const REGRESSIONS: Regression[] = [
  {
    name: 'a NUL character in a symbol path parameter',
    case: get('GET /v1/items/:symbol', 'read', '/v1/items/%00'),
    status: 404,
  },
  {
    name: 'a NUL character in the symbol of an analysis',
    case: get('GET /v1/items/:symbol/analysis', 'read', '/v1/items/A%00/analysis'),
    status: 404,
  },
  {
    name: 'a NUL character in the symbol of a PATCH',
    case: send('PATCH /v1/items/:symbol', 'admin', 'PATCH', '/v1/items/%00', '{"name":"x"}'),
    status: 404,
  },
  {
    name: 'a NUL character in ?q=',
    case: get('GET /v1/items', 'read', '/v1/items', 'q=%00'),
    status: 400,
  },
  {
    name: 'a NUL character in an item name',
    case: send(
      'POST /v1/items',
      'admin',
      'POST',
      '/v1/items',
      '{"symbol":"ZZNUL","name":"a\\u0000b","sector":"Utilities"}',
    ),
    status: 400,
  },
  {
    name: 'a NUL character in an item description',
    case: send(
      'PATCH /v1/items/:symbol',
      'admin',
      'PATCH',
      '/v1/items/AAPL',
      '{"description":"\\u0000"}',
    ),
    status: 400,
  },
  {
    name: 'null for a PATCH field that is NOT NULL in the database',
    case: send('PATCH /v1/items/:symbol', 'admin', 'PATCH', '/v1/items/AAPL', '{"active":null}'),
    status: 400,
  },
  {
    name: 'null for a PATCH name (was a TypeError on null.trim())',
    case: send(
      'PATCH /v1/items/:symbol',
      'admin',
      'PATCH',
      '/v1/items/AAPL',
      '{"name":null,"sector":null,"description":null}',
    ),
    status: 400,
  },
  {
    name: 'a sector named like an Object.prototype member in a PATCH',
    case: send(
      'PATCH /v1/items/:symbol',
      'admin',
      'PATCH',
      '/v1/items/A',
      '{"sector":"constructor"}',
    ),
    status: 400,
  },
  {
    name: 'a sector filter named __proto__ (was an empty 200)',
    case: get('GET /v1/items', 'read', '/v1/items', 'sector=__proto__'),
    status: 400,
  },
  {
    name: 'a scan sector named constructor (was accepted as sectors: [null])',
    case: send('POST /v1/scans', 'scan', 'POST', '/v1/scans', '{"sectors":["constructor"]}'),
    status: 400,
  },
  {
    name: 'an analysis asOf that is no calendar day',
    case: get(
      'GET /v1/items/:symbol/analysis',
      'read',
      '/v1/items/AAPL/analysis',
      'asOf=2016-02-30',
    ),
    status: 400,
  },
  {
    name: 'an analysis asOf in year 0',
    case: get(
      'GET /v1/items/:symbol/analysis',
      'read',
      '/v1/items/AAPL/analysis',
      'asOf=0000-01-01',
    ),
    status: 400,
  },
  {
    name: 'a scan asOf in year 0 (was a 202 whose job failed three times)',
    case: send('POST /v1/scans', 'scan', 'POST', '/v1/scans', '{"asOf":"0000-01-01"}'),
    status: 400,
  },
  {
    name: 'a scan id of 36 dashes',
    case: get('GET /v1/scans/:id', 'scan', `/v1/scans/${'-'.repeat(36)}`),
    status: 404,
  },
  {
    name: 'a scan id of 36 hex digits',
    case: get('GET /v1/scans/:id', 'scan', `/v1/scans/${'0'.repeat(36)}`),
    status: 404,
  },
  {
    name: 'a body nested 1,313 levels deep',
    case: {
      route: 'POST /v1/predict',
      scope: 'predict',
      method: 'POST',
      path: '/v1/predict',
      query: '',
      auth: admin,
      headers: [['Content-Type', 'application/json']],
      body: {
        kind: 'repeat',
        parts: [
          ['[', 1313],
          ['1', 1],
          [']', 1313],
        ],
      },
    },
    status: 400,
  },
  {
    name: 'request headers over 16 KiB (was 431 as plain JSON)',
    case: {
      ...get('GET /v1/items', 'read', '/v1/items'),
      headers: [['X-Padding', 'x'.repeat(20_000)]],
    },
    status: 431,
  },
  {
    name: 'an Expect header other than 100-continue (was an empty 417)',
    case: { ...get('public', null, '/health/live'), headers: [['Expect', 'foo']] },
    status: 417,
  },
  {
    name: 'a method Node does not know (was 400 as plain JSON)',
    case: { ...get('stray', null, '/v1/items'), method: 'FOO' },
    status: 400,
  },
];
