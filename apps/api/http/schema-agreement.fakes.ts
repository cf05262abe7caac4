import assert from 'node:assert/strict';
import type { Type } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { JsonSchema } from './json-schema.js';
import { attachSchemaValidation, isSchemaChecked } from './schema-validation.js';
import { createValidationPipe } from './validation.pipe.js';

/** A body given as its JSON text, for what JSON.stringify cannot write (`1e400`, read as Infinity). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Sends each input through a real Fastify (the api's compilers) and through the validation pipe
 * with `dto`, and asserts the verdicts: the same for `inputs`; for `stricter`, inputs Ajv may refuse
 * though class-validator accepts them — the refusal is then handed to class-validator, whose answer
 * stands, so those cost time, never a different answer. Ajv is never the looser.
 */
async function assertAgreement(
  schema: JsonSchema,
  inputs: unknown[],
  stricter: unknown[],
  send: (fastify: FastifyInstance, input: unknown) => Promise<{ shown: string; sent: unknown }>,
  part: 'query' | 'body',
  dto: Type,
): Promise<void> {
  const fastify = Fastify();
  attachSchemaValidation(fastify);
  // Answers whether the input reached the handler marked as accepted by the schema.
  fastify.route({
    method: part === 'body' ? 'POST' : 'GET',
    url: '/',
    schema: part === 'body' ? { body: schema } : { querystring: schema },
    handler: async (request) => ({
      valid: isSchemaChecked(part === 'body' ? request.body : request.query),
    }),
  });
  await fastify.ready();
  const pipe = createValidationPipe();
  try {
    for (const [i, input] of [...inputs, ...stricter].entries()) {
      const { shown, sent } = await send(fastify, input);
      const byAjv = (JSON.parse(shown) as { valid: boolean }).valid;
      const byClassValidator = await pipe.transform(sent, { type: part, metatype: dto }).then(
        () => true,
        () => false,
      );
      const at = (JSON.stringify(sent) ?? String(sent)).slice(0, 120);
      const expected = i >= inputs.length ? false : byClassValidator;
      assert.equal(byAjv, expected, `${at}: Ajv ${byAjv}, class-validator ${byClassValidator}`);
      if (byAjv) assert.ok(byClassValidator, `${at}: Ajv the looser`);
    }
  } finally {
    await fastify.close();
  }
}

/** A route's body schema and its DTO accept the same `bodies`, each sent as JSON. */
export const assertSchemaAgrees = (
  schema: JsonSchema,
  dto: Type,
  bodies: unknown[],
  stricter: unknown[] = [],
): Promise<void> =>
  assertAgreement(
    schema,
    bodies,
    stricter,
    async (fastify, body) => {
      const payload = body instanceof RawJson ? body.text : JSON.stringify(body);
      const res = await fastify.inject({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      return { shown: res.body, sent: JSON.parse(payload) as unknown };
    },
    'body',
    dto,
  );

/**
 * The same for a query schema, over query strings (`limit=5&q=a`), repeated parameters included
 * (`wait=` is stricter: class-validator reads the empty text as 0, Ajv refuses it).
 */
export const assertQuerySchemaAgrees = (
  schema: JsonSchema,
  dto: Type,
  queries: string[],
  stricter: string[] = [],
): Promise<void> =>
  assertAgreement(
    schema,
    queries,
    stricter,
    async (fastify, query) => {
      const res = await fastify.inject({ url: `/?${String(query)}` });
      // As Fastify's query parser hands it over: a repeated parameter becomes an array.
      const params = new URLSearchParams(String(query));
      const sent: Record<string, unknown> = {};
      for (const name of new Set(params.keys())) {
        const all = params.getAll(name);
        sent[name] = all.length > 1 ? all : all[0];
      }
      return { shown: res.body, sent };
    },
    'query',
    dto,
  );

/**
 * `?limit=` (1 to `maxLimit`) on both sides of its rule, and the numbers a query string can spell
 * that are no count: what every query with a limit tries.
 */
export const limitQueries = (maxLimit: number): string[] => [
  'limit=1',
  `limit=${maxLimit}`,
  'limit=0',
  `limit=${maxLimit + 1}`,
  'limit=2.5',
  'limit=abc',
  'limit=',
  'limit=1e1',
  'limit=%201',
  'limit=1&limit=2',
  'limit=Infinity',
  'limit=-Infinity',
  'limit=1e400',
  'limit=NaN',
];

/** {@link limitQueries} and `?cursor=` on both sides of its rule: what every paged list's query spec tries. */
export const pageQueries = (maxLimit: number): string[] => [
  ...limitQueries(maxLimit),
  `cursor=${'c'.repeat(200)}`,
  `cursor=${'c'.repeat(201)}`,
  'cursor=',
  'cursor=a&cursor=b',
];
