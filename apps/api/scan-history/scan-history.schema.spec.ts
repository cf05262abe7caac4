import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertQuerySchemaAgrees, pageQueries } from '../http/schema-agreement.fakes.js';
import { ListScansQuery } from './scan-history.dto.js';
import { LIST_SCANS_QUERY } from './scan-history.schema.js';

/** Queries on both sides of every rule of GET /v1/scans, and mistakes a client makes. */
const QUERIES = [
  '',
  'status=queued',
  'status=running',
  'status=completed',
  'status=failed',
  'status=Completed',
  'status=done',
  'status=',
  'status=queued&status=failed',
  ...pageQueries(100),
  'unknown=1',
  'status=completed&limit=5&cursor=MjAyNi0xMi0wNg',
];

describe('LIST_SCANS_QUERY (Fastify, Ajv) and ListScansQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(LIST_SCANS_QUERY, ListScansQuery, QUERIES));
});
