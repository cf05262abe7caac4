import assert from 'node:assert/strict';
import type { Type } from '@nestjs/common';
import Fastify from 'fastify';
import type { JsonSchema } from './json-schema.js';
import { attachSchemaValidation, schemaAccepted } from './schema-validation.js';
import { createValidationPipe } from './validation.pipe.js';

/** A body given as its JSON text, for what JSON.stringify cannot write (`1e400`, read as Infinity). */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * For the *.schema.spec.ts files: asserts that a route's body schema (compiled as the api compiles
 * it, schema-validation.ts) and the DTO class-validator checks accept exactly the same `bodies`,
 * each sent as JSON through a real Fastify instance. `stricter` lists the bodies Ajv may refuse
 * though class-validator accepts them (a null for an optional field): the refusal is then handed
 * to class-validator, whose answer stands, so those cost time, never a different answer.
 */
export async function assertSchemaAgrees(
  schema: JsonSchema,
  dto: Type,
  bodies: unknown[],
  stricter: unknown[] = [],
): Promise<void> {
  const fastify = Fastify();
  attachSchemaValidation(fastify);
  fastify.post('/', { schema: { body: schema } }, (request) => ({
    valid: schemaAccepted(request.validationError, request.body),
  }));
  await fastify.ready();
  const pipe = createValidationPipe();
  try {
    for (const body of [...bodies, ...stricter]) {
      const payload = body instanceof RawJson ? body.text : JSON.stringify(body);
      const res = await fastify.inject({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      const byAjv = (res.json() as { valid: boolean }).valid;
      const byClassValidator = await pipe
        .transform(JSON.parse(payload) as unknown, { type: 'body', metatype: dto })
        .then(
          () => true,
          () => false,
        );
      const expected = stricter.includes(body) ? false : byClassValidator;
      assert.equal(
        byAjv,
        expected,
        `${payload.slice(0, 120)}: Ajv ${byAjv}, class-validator ${byClassValidator}`,
      );
      if (byAjv) assert.ok(byClassValidator, `${payload.slice(0, 120)}: Ajv the looser`);
    }
  } finally {
    await fastify.close();
  }
}
