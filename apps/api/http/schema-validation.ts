import {
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { createValidationPipe } from './validation.pipe.js';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Fastify's own Ajv settings (@fastify/ajv-compiler) but one: unknown properties are kept, so
 * `additionalProperties: false` refuses them with a 400 naming them, as the DTOs do, instead of
 * dropping them silently. allErrors stays off: Ajv stops at the first error (a refusal is then
 * worded by class-validator, below), and a hostile body cannot make it collect thousands.
 */
const SHARED: Options = { removeAdditional: false, allErrors: false, addUsedSchema: false };

/**
 * A query string is text: Ajv converts `limit=5` to the number the schema asks for, as Fastify does
 * by default. A JSON body is not converted: `{"maxSymbols": "5"}` stays a string and is refused,
 * exactly as class-validator refuses it — Fastify's single default Ajv would coerce both.
 */
function compilers(): { text: Ajv; json: Ajv } {
  const text = new Ajv({ ...SHARED, coerceTypes: 'array', useDefaults: true });
  const json = new Ajv({ ...SHARED, coerceTypes: false, useDefaults: false });
  addFormats(text);
  addFormats(json);
  return { text, json };
}

const RAW_QUERY = Symbol('raw-query');
type SchemaRequest = FastifyRequest & { [RAW_QUERY]?: unknown };

/**
 * Routes with a query or body schema are validated by Fastify (Ajv, compiled once per route) and
 * still reach their handler when the input is invalid (`attachValidation`): the handler's
 * SchemaQuery or SchemaBody parameter then answers the 400 in the very words class-validator gives,
 * from the input as it was sent (a query is kept here, since Ajv coerces it in place; a body is
 * never changed). Before any route is registered.
 */
export function attachSchemaValidation(fastify: FastifyInstance): void {
  const { text, json } = compilers();
  const compile: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? json : text).compile(schema);
  fastify.setValidatorCompiler(compile);
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema as { querystring?: unknown; body?: unknown } | undefined;
    if (!schema?.querystring && !schema?.body) return;
    route.attachValidation = true;
    if (!schema.querystring) return;
    const keepRaw = (request: FastifyRequest, _reply: unknown, done: () => void) => {
      (request as SchemaRequest)[RAW_QUERY] = { ...(request.query as object) };
      done();
    };
    const existing = route.preValidation;
    route.preValidation = existing
      ? [keepRaw, ...(Array.isArray(existing) ? existing : [existing])]
      : keepRaw;
  });
}

type Checked = { valid: true; input: unknown } | { valid: false; sent: unknown };

/**
 * Ajv (compiled from the route's schema) decides; class-validator only explains. An input Ajv
 * accepted is passed on as Ajv left it. One it refused goes through the global validation pipe
 * with `dto`, whose field errors are the api's contract (validation.errors.ts): the same 400 as
 * before, byte for byte. The two describe the same rules (the *.schema.spec.ts files check they
 * agree); where Ajv is the stricter (a null for an optional field, which class-validator lets
 * through), the DTO the pipe returns is used: the answer is class-validator's either way.
 */
class ExplainRefusal implements PipeTransform<Checked> {
  private readonly pipe = createValidationPipe();
  constructor(
    private readonly dto: Type,
    private readonly part: 'query' | 'body',
  ) {}

  transform(checked: Checked): unknown {
    if (checked.valid) return checked.input;
    return this.pipe.transform(checked.sent, { type: this.part, metatype: this.dto });
  }
}

/**
 * Whether Fastify's Ajv accepted an input, as the api takes it. Ajv coerces a query's `Infinity`
 * (and `1e400`) to a number that passes its `integer` and `maximum` checks (found by the fuzz suite:
 * `?limit=Infinity` reached the database as a 500); a non-finite number is therefore refused here
 * and explained like any other refusal. (JSON has no Infinity; JSON.parse reads `1e400` as one,
 * which every body schema's `maximum` refuses.)
 */
export function schemaAccepted(validationError: unknown, input: unknown): boolean {
  return (
    validationError === undefined &&
    typeof input === 'object' &&
    input !== null &&
    Object.values(input).every((v) => typeof v !== 'number' || Number.isFinite(v))
  );
}

const checkedQuery = createParamDecorator((_data: unknown, context: ExecutionContext): Checked => {
  const request = context.switchToHttp().getRequest<SchemaRequest>();
  return schemaAccepted(request.validationError, request.query)
    ? { valid: true, input: request.query }
    : { valid: false, sent: request[RAW_QUERY] ?? {} };
});

const checkedBody = createParamDecorator((_data: unknown, context: ExecutionContext): Checked => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return schemaAccepted(request.validationError, request.body)
    ? { valid: true, input: request.body }
    : { valid: false, sent: request.body };
});

/** The route's query, validated by its `@RouteSchema` querystring; `dto` explains a refusal. */
export const SchemaQuery = (dto: Type): ParameterDecorator =>
  checkedQuery(new ExplainRefusal(dto, 'query'));

/** The route's JSON body, validated by its `@RouteSchema` body; `dto` explains a refusal. */
export const SchemaBody = (dto: Type): ParameterDecorator =>
  checkedBody(new ExplainRefusal(dto, 'body'));
