import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { attachSchemaValidation, schemaAccepted } from '../http/schema-validation.js';
import { createValidationPipe } from '../http/validation.pipe.js';
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
  let fastify: FastifyInstance;
  before(async () => {
    // As the api compiles it (schema-validation.ts): a query coerced, unknown parameters kept.
    fastify = Fastify();
    attachSchemaValidation(fastify);
    fastify.get('/', { schema: { querystring: LIST_ITEMS_QUERY } }, (request) => ({
      valid: schemaAccepted(request.validationError, request.query),
    }));
    await fastify.ready();
  });
  after(() => fastify.close());

  it('accept and refuse the same queries', async () => {
    const pipe = createValidationPipe();
    for (const query of QUERIES) {
      const res = await fastify.inject({ url: `/?${query}` });
      const byAjv = (res.json() as { valid: boolean }).valid;
      const sent = Object.fromEntries(new URLSearchParams(query).entries());
      const repeated = new URLSearchParams(query);
      for (const name of new Set(repeated.keys()))
        if (repeated.getAll(name).length > 1) sent[name] = repeated.getAll(name) as never;
      const byClassValidator = await pipe
        .transform(sent, { type: 'query', metatype: ListItemsQuery })
        .then(
          () => true,
          () => false,
        );
      assert.equal(
        byAjv,
        byClassValidator,
        `?${query}: Ajv ${byAjv}, class-validator ${byClassValidator}`,
      );
    }
  });
});
