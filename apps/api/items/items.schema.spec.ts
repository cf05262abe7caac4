import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertQuerySchemaAgrees } from '../http/schema-agreement.fakes.js';
import { ListItemsQuery } from './items.dto.js';
import { LIST_ITEMS_QUERY } from './items.schema.js';

/** Queries on both sides of every rule of GET /v1/items, and some a client might send by mistake. */
const QUERIES = [
  '',
  'limit=1',
  'limit=200',
  'limit=0',
  'limit=201',
  'limit=2.5',
  'limit=abc',
  'limit=',
  'limit=1e2',
  'limit=%201',
  'limit=1&limit=2',
  'limit=Infinity',
  'limit=-Infinity',
  'limit=1e400',
  'limit=NaN',
  'active=true',
  'active=false',
  'active=TRUE',
  'active=1',
  'active=',
  'q=a',
  'q=',
  `q=${'x'.repeat(100)}`,
  `q=${'x'.repeat(101)}`,
  `q=${'😀'.repeat(100)}`,
  'q=a%00b',
  'q=a&q=b',
  'sector=technology',
  `sector=${'s'.repeat(64)}`,
  `sector=${'s'.repeat(65)}`,
  `cursor=${'c'.repeat(200)}`,
  `cursor=${'c'.repeat(201)}`,
  'unknown=1',
  'limit=5&sector=Energy&q=ab&active=false&cursor=QUFQTA',
];

describe('LIST_ITEMS_QUERY (Fastify, Ajv) and ListItemsQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(LIST_ITEMS_QUERY, ListItemsQuery, QUERIES));
});
