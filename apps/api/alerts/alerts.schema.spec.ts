import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertQuerySchemaAgrees, pageQueries } from '../http/schema-agreement.fakes.js';
import { ListAlertsQuery } from './alerts.dto.js';
import { LIST_ALERTS_QUERY } from './alerts.schema.js';

const since = (value: string) => `since=${encodeURIComponent(value)}`;

/** Queries on both sides of every rule of GET /v1/alerts, and mistakes a client makes. */
const QUERIES = [
  '',
  since('2026-12-07T00:00:00Z'),
  since('2026-12-07T00:00:00.123Z'),
  since('2026-12-07T00:00:00.123456789Z'),
  since('2026-12-07T08:30:00+01:00'),
  since('2026-12-07T08:30:00-05:30'),
  since('2026-12-07'),
  since('2026-12-07T00:00:00'),
  since('2026-12-07 00:00:00Z'),
  since('2026-12-07t00:00:00z'),
  since('2026-13-07T00:00:00Z'),
  since('2026-02-30T00:00:00Z'),
  since('2024-02-29T00:00:00Z'),
  since('2026-12-07T24:00:00Z'),
  since('2026-12-07T23:60:00Z'),
  since('2026-12-31T23:59:60Z'),
  since('yesterday'),
  'since=',
  `${since('2026-12-07T00:00:00Z')}&${since('2026-12-08T00:00:00Z')}`,
  ...pageQueries(200),
  'unknown=1',
  `${since('2026-12-07T00:00:00Z')}&limit=5&cursor=1042`,
];

/** ISO 8601 spellings class-validator takes and the schema leaves to it (see LIST_ALERTS_QUERY). */
const STRICTER = [
  since('2026-12-07T08:30Z'),
  since('2026-12-07T08:30:00+0100'),
  since('2026-12-07T08:30:00,5Z'),
];

describe('LIST_ALERTS_QUERY (Fastify, Ajv) and ListAlertsQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(LIST_ALERTS_QUERY, ListAlertsQuery, QUERIES, STRICTER));
});
