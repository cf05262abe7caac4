import assert from 'node:assert/strict';
import type { Type } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { JsonSchema } from './json-schema.js';
import { attachSchemaValidation, schemaAccepted } from './schema-validation.js';
import { createValidationPipe } from './validation.pipe.js';

/** A body given as its JSON text, for what JSON.stringify cannot write (`1e400`, read as Infinity). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Each input as Ajv (through a real Fastify, as the api compiles it) and class-validator judge it. */
interface Verdicts {
  input: string;
  byAjv: boolean;
  byClassValidator: boolean;
}

async function judge(
  setUp: (fastify: FastifyInstance) => void,
  inputs: unknown[],
  send: (fastify: FastifyInstance, input: unknown) => Promise<{ shown: string; sent: unknown }>,
  part: 'query' | 'body',
  dto: Type,
): Promise<Verdicts[]> {
  const fastify = Fastify();
  attachSchemaValidation(fastify);
  setUp(fastify);
  await fastify.ready();
  const pipe = createValidationPipe();
  try {
    const verdicts: Verdicts[] = [];
    for (const input of inputs) {
      const { shown, sent } = await send(fastify, input);
      const byAjv = (JSON.parse(shown) as { valid: boolean }).valid;
      const byClassValidator = await pipe.transform(sent, { type: part, metatype: dto }).then(
        () => true,
        () => false,
      );
      verdicts.push({ input: JSON.stringify(sent) ?? String(sent), byAjv, byClassValidator });
    }
    return verdicts;
  } finally {
    await fastify.close();
  }
}

/**
 * For the *.schema.spec.ts files: asserts that a route's body schema and the DTO class-validator
 * checks accept exactly the same `bodies`, each sent as JSON through a real Fastify instance.
 * `stricter` lists the bodies Ajv may refuse though class-validator accepts them (a null for an
 * optional field): the refusal is then handed to class-validator, whose answer stands, so those
 * cost time, never a different answer.
 */
export async function assertSchemaAgrees(
  schema: JsonSchema,
  dto: Type,
  bodies: unknown[],
  stricter: unknown[] = [],
): Promise<void> {
  const verdicts = await judge(
    (fastify) =>
      fastify.post('/', { schema: { body: schema } }, (request) => ({
        valid: schemaAccepted(request.validationError, request.body),
      })),
    [...bodies, ...stricter],
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
  verdicts.forEach(({ input, byAjv, byClassValidator }, i) => {
    const expected = i >= bodies.length ? false : byClassValidator;
    const at = input.slice(0, 120);
    assert.equal(byAjv, expected, `${at}: Ajv ${byAjv}, class-validator ${byClassValidator}`);
    if (byAjv) assert.ok(byClassValidator, `${at}: Ajv the looser`);
  });
}

/**
 * The same for a query schema, over query strings (`limit=5&q=a`), repeated parameters included;
 * `stricter` as above (`wait=`: class-validator reads the empty text as 0, Ajv refuses it).
 */
export async function assertQuerySchemaAgrees(
  schema: JsonSchema,
  dto: Type,
  queries: string[],
  stricter: string[] = [],
): Promise<void> {
  const verdicts = await judge(
    (fastify) =>
      fastify.get('/', { schema: { querystring: schema } }, (request) => ({
        valid: schemaAccepted(request.validationError, request.query),
      })),
    [...queries, ...stricter],
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
  const all = [...queries, ...stricter];
  verdicts.forEach(({ byAjv, byClassValidator }, i) => {
    const expected = i >= queries.length ? false : byClassValidator;
    const at = `?${all[i]}`;
    assert.equal(byAjv, expected, `${at}: Ajv ${byAjv}, class-validator ${byClassValidator}`);
    if (byAjv) assert.ok(byClassValidator, `${at}: Ajv the looser`);
  });
}
