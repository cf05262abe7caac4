import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Fastify's own Ajv settings (@fastify/ajv-compiler) but two: unknown properties are kept, so
 * `additionalProperties: false` refuses them with a 400 naming them, as the DTOs do, instead of
 * dropping them silently; and no schema default is filled in (the services apply their own).
 * allErrors stays off: Ajv stops at the first error (a refusal is then worded by class-validator,
 * below), and a hostile body cannot make it collect thousands.
 *
 * A query string is text: Ajv converts `limit=5` to the number the schema asks for, as Fastify does
 * by default. A JSON body is not converted: `{"maxSymbols": "5"}` stays a string and is refused,
 * exactly as class-validator refuses it — Fastify's single default Ajv would coerce both.
 */
function ajvFor(part: 'text' | 'json'): Ajv {
  const ajv = new Ajv({
    removeAdditional: false,
    allErrors: false,
    addUsedSchema: false,
    useDefaults: false,
    coerceTypes: part === 'text' ? 'array' : false,
  });
  addFormats(ajv);
  return ajv;
}

const RAW_QUERY = Symbol('raw-query');
type SchemaRequest = FastifyRequest & { [RAW_QUERY]?: unknown };

/** Set on a query or body that its route's schema accepted: the validation pipe passes it on. */
const SCHEMA_CHECKED = Symbol('schema-checked');

/** Whether `value` is a route's query or body that its JSON schema accepted (see below). */
export const isSchemaChecked = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && SCHEMA_CHECKED in value;

const markChecked = (value: object): void => {
  // Not enumerable: invisible to Object.keys, JSON.stringify and class-transformer.
  Object.defineProperty(value, SCHEMA_CHECKED, { value: true });
};

/**
 * Routes with a query or body schema are validated by Fastify (Ajv, compiled once per route) and
 * still reach their handler when the input is invalid (`attachValidation`). Ajv decides;
 * class-validator only explains: an input Ajv accepted is marked, and the global validation pipe
 * (validation.pipe.ts) hands it to the handler as Ajv left it; one it refused reaches the pipe as
 * it was sent (a query is kept here, since Ajv coerces it in place; a body is never changed), and
 * the pipe answers the 400 in the very words class-validator gives (validation.errors.ts, the
 * api's contract). The DTO and the schema describe the same rules (the *.schema.spec.ts files
 * check they agree); where Ajv is the stricter (a null for an optional field, which
 * class-validator lets through) the DTO the pipe returns is used: the answer is class-validator's
 * either way. The handler declares `@Query()` / `@Body()` as any other, so the OpenAPI document
 * still describes the input from its DTO. Call before any route is registered.
 */
export function attachSchemaValidation(fastify: FastifyInstance): void {
  const text = ajvFor('text');
  const json = ajvFor('json');
  const compile: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? json : text).compile(schema);
  fastify.setValidatorCompiler(compile);
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema as { querystring?: unknown; body?: unknown } | undefined;
    if (!schema?.querystring && !schema?.body) return;
    route.attachValidation = true;
    const hasQuery = Boolean(schema.querystring);
    const hasBody = Boolean(schema.body);
    const settle = (request: SchemaRequest, _reply: unknown, done: () => void) => {
      if (hasQuery) {
        if (schemaAccepted(request.validationError, request.query)) markChecked(request.query!);
        else request.query = request[RAW_QUERY] ?? {};
      }
      if (hasBody && schemaAccepted(request.validationError, request.body))
        markChecked(request.body!);
      done();
    };
    route.preHandler = [settle, ...hooks(route.preHandler)];
    if (!hasQuery) return;
    const keepRaw = (request: SchemaRequest, _reply: unknown, done: () => void) => {
      request[RAW_QUERY] = { ...(request.query as object) };
      done();
    };
    route.preValidation = [keepRaw, ...hooks(route.preValidation)];
  });
}

const hooks = <T>(existing: T | T[] | undefined): T[] =>
  existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];

/**
 * Whether Fastify's Ajv accepted an input, as the api takes it. Ajv coerces a query's `Infinity`
 * (and `1e400`) to a number that passes its `integer` and `maximum` checks (found by the fuzz suite:
 * `?limit=Infinity` reached the database as a 500); a non-finite number is therefore refused here
 * and explained like any other refusal. (JSON has no Infinity; JSON.parse reads `1e400` as one,
 * which every body schema's `maximum` refuses.)
 */
function schemaAccepted(validationError: unknown, input: unknown): input is object {
  return (
    validationError === undefined &&
    typeof input === 'object' &&
    input !== null &&
    Object.values(input).every((v) => typeof v !== 'number' || Number.isFinite(v))
  );
}

/**
 * A JSON value's check against `schema` outside an HTTP route (the WebSocket `scan` message), by
 * the same non-coercing Ajv as a body: compiled once, here.
 */
export function bodyValidator(schema: object): (value: unknown) => boolean {
  const validate = ajvFor('json').compile(schema);
  return (value) => schemaAccepted(validate(value) ? undefined : validate.errors, value);
}
