import fc from 'fast-check';
import type { Body, Scope } from './cases.js';
import { anyString, arrayText, bodyOf, dtoText, noBody } from './json.js';
import { queryString } from './query-string.js';
import {
  validAnalysisQuery,
  validBarsQuery,
  validBatch,
  validHistoryQuery,
  validItem,
  validItemsQuery,
  validPatch,
  validPredict,
  validScan,
  validWaitQuery,
} from './valid-values.js';
import {
  cursorText,
  dateText,
  itemFields,
  numberText,
  pct,
  PROFILES,
  rawText,
  scanFields,
  scanIdSegment,
  SECTORS,
  symbolSegment,
  symbolTok,
  textTok,
  waitText,
} from './values.js';

/** The route table of the HTTP fuzz cases: per route its method, path parameters, query and body generators. */

interface RouteSpec {
  route: string;
  scope: Scope;
  method: fc.Arbitrary<string>;
  path: fc.Arbitrary<string>;
  query: fc.Arbitrary<string>;
  body: fc.Arbitrary<Body>;
}

const route = (weight: number, { route, scope, ...arbs }: RouteSpec) => ({
  weight,
  arbitrary: fc.record({ route: fc.constant(route), scope: fc.constant(scope), ...arbs }),
});
const m = (x: string) => fc.constant(x);
const p = (prefix: string, seg: fc.Arbitrary<string>, suffix = '') =>
  seg.map((s) => `${prefix}${s}${suffix}`);
const noQuery = queryString({});

/** Every route with its own parameter, query and body generators. */
export const routes = fc.oneof(
  route(10, {
    route: 'GET /v1/items',
    scope: 'read',
    method: m('GET'),
    path: m('/v1/items'),
    query: queryString(
      {
        sector: fc.oneof(fc.constantFrom(...SECTORS), anyString),
        q: anyString,
        active: fc.constantFrom('true', 'false', 'TRUE', '1', ''),
        limit: numberText,
        cursor: cursorText,
      },
      validItemsQuery,
    ),
    body: noBody,
  }),
  route(6, {
    route: 'GET /v1/items/:symbol',
    scope: 'read',
    method: m('GET'),
    path: p('/v1/items/', symbolSegment),
    query: noQuery,
    body: noBody,
  }),
  route(6, {
    route: 'POST /v1/items',
    scope: 'admin',
    method: m('POST'),
    path: m('/v1/items'),
    query: noQuery,
    body: bodyOf(validItem, dtoText({ symbol: symbolTok, ...itemFields })),
  }),
  route(5, {
    route: 'PATCH /v1/items/:symbol',
    scope: 'admin',
    method: m('PATCH'),
    path: p('/v1/items/', symbolSegment),
    query: noQuery,
    body: bodyOf(validPatch, dtoText(itemFields)),
  }),
  route(3, {
    route: 'DELETE /v1/items/:symbol',
    scope: 'admin',
    method: m('DELETE'),
    path: p('/v1/items/', symbolSegment),
    query: noQuery,
    body: noBody,
  }),
  route(6, {
    route: 'GET /v1/items/:symbol/analysis',
    scope: 'read',
    method: m('GET'),
    path: p('/v1/items/', symbolSegment, '/analysis'),
    query: queryString(
      {
        asOf: dateText,
        profile: fc.oneof(fc.constantFrom(...PROFILES, 'Balanced', ''), anyString),
      },
      validAnalysisQuery,
    ),
    body: noBody,
  }),
  route(4, {
    route: 'GET /v1/items/:symbol/bars',
    scope: 'read',
    method: m('GET'),
    path: p('/v1/items/', symbolSegment, '/bars'),
    query: queryString(
      {
        from: dateText,
        to: dateText,
        interval: fc.oneof(fc.constantFrom('day', 'week', 'month', 'Day', 'year', ''), anyString),
        limit: numberText,
      },
      validBarsQuery,
    ),
    body: noBody,
  }),
  route(2, {
    route: 'GET /v1/meta',
    scope: 'read',
    method: m('GET'),
    path: m('/v1/meta'),
    query: noQuery,
    body: noBody,
  }),
  route(2, {
    route: 'POST /v1/installations',
    scope: 'install',
    method: m('POST'),
    path: m('/v1/installations'),
    query: noQuery,
    body: fc.oneof(noBody, bodyOf(fc.constant('{}'), fc.constant('{"name":1}'))),
  }),
  route(7, {
    route: 'POST /v1/predict',
    scope: 'predict',
    method: m('POST'),
    path: m('/v1/predict'),
    query: noQuery,
    body: bodyOf(validPredict, dtoText({ text: textTok })),
  }),
  route(4, {
    route: 'POST /v1/predict/batch',
    scope: 'predict',
    method: m('POST'),
    path: m('/v1/predict/batch'),
    query: noQuery,
    body: bodyOf(
      validBatch,
      dtoText({
        texts: fc.oneof(
          arrayText(textTok, 5),
          fc
            .constantFrom(256, 257)
            .map((n) => `[${Array.from({ length: n }, () => '"ok"').join(',')}]`),
        ),
      }),
    ),
  }),
  route(2, {
    route: 'GET /v1/model/info',
    scope: 'read',
    method: m('GET'),
    path: m('/v1/model/info'),
    query: noQuery,
    body: noBody,
  }),
  route(7, {
    route: 'POST /v1/scans',
    scope: 'scan',
    method: m('POST'),
    path: m('/v1/scans'),
    query: queryString({ wait: waitText }, validWaitQuery),
    body: bodyOf(validScan, dtoText(scanFields)),
  }),
  route(5, {
    route: 'GET /v1/scans/:id',
    scope: 'scan',
    method: m('GET'),
    path: p('/v1/scans/', scanIdSegment),
    query: noQuery,
    body: noBody,
  }),
  route(3, {
    route: 'GET /v1/scans',
    scope: 'scan',
    method: m('GET'),
    path: m('/v1/scans'),
    query: queryString(
      {
        status: fc.oneof(
          fc.constantFrom('queued', 'running', 'completed', 'failed', 'done'),
          anyString,
        ),
        limit: numberText,
        cursor: cursorText,
      },
      validHistoryQuery,
    ),
    body: noBody,
  }),
  route(4, {
    route: 'public',
    scope: null,
    method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
    path: fc.constantFrom(
      '/health/live',
      '/health/ready',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/docs',
      '/docs-json',
      '/docs-yaml',
      '/docs/swagger-ui.css',
    ),
    query: noQuery,
    body: noBody,
  }),
  route(4, {
    route: 'stray',
    scope: null,
    method: fc.constantFrom(
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'HEAD',
      'OPTIONS',
      'TRACE',
      'PROPFIND',
      'SEARCH',
      'FOO',
      'PURGE',
    ),
    path: fc.oneof(
      fc.constantFrom(
        '/',
        '/v1',
        '/v1/',
        '/v1/items/',
        '//v1//items',
        '/%761/items',
        '/v1/items/AAPL/analysis/x',
        '/v1/scans',
        '/v1/predict/batch/',
        '/v1/ws',
        '/health',
        '/metrics/',
        '/docs/',
        '/v2/items',
        '/v1/model',
      ),
      fc
        .array(fc.oneof(rawText, anyString.filter((s) => s.length <= 300).map(pct)), {
          minLength: 1,
          maxLength: 4,
        })
        .map((xs) => `/${xs.join('/')}`),
    ),
    query: noQuery,
    body: noBody,
  }),
);
