import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertQuerySchemaAgrees, limitQueries } from '../http/schema-agreement.fakes.js';
import { BarsQueryDto, MAX_BARS } from './bars.dto.js';
import { BARS_QUERY } from './bars.schema.js';

/** Queries on both sides of every rule of GET /v1/items/{symbol}/bars, and mistakes a client makes. */
const QUERIES = [
  '',
  'from=2016-01-04',
  'from=2016-1-4',
  'from=20160104',
  'from=',
  'from=2016-01-04T00:00:00Z',
  'from=2016-01-04&from=2016-01-05',
  'to=2018-02-07',
  'to=yesterday',
  'from=2018-02-07&to=2016-01-04',
  'interval=day',
  'interval=week',
  'interval=month',
  'interval=Day',
  'interval=year',
  'interval=',
  'interval=day&interval=week',
  ...limitQueries(MAX_BARS),
  'limit=1e2',
  'unknown=1',
  'from=2016-01-04&to=2018-02-07&interval=week&limit=52',
];

describe('BARS_QUERY (Fastify, Ajv) and BarsQueryDto (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(BARS_QUERY, BarsQueryDto, QUERIES));
});
