import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApiProperty, ApiQuery } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createValidationPipe } from './validation.pipe.js';

/**
 * The JSON Schema subset this api describes its inputs and outputs with: what Fastify compiles
 * once per route (Ajv validates a query, fast-json-stringify writes a response) and what the
 * OpenAPI document says, from the same object. OpenAPI 3.0 spelling (`nullable`), which Ajv and
 * fast-json-stringify both understand.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  enum?: readonly unknown[];
  description?: string;
  example?: unknown;
}

/** The properties of an object schema, in their declared order. */
const propertiesOf = (schema: JsonSchema): [string, JsonSchema][] =>
  Object.entries(schema.properties ?? {});

/**
 * The OpenAPI description of a response DTO from its JSON schema: each property of `schema`
 * becomes the class's `@ApiProperty`, required as the schema says. The class itself keeps only
 * the TypeScript shape. `overrides` replaces a property's description where the OpenAPI document
 * should point at another component (`{ type: [ItemDto] }`) instead of inlining it.
 */
export const DescribedBy =
  (schema: JsonSchema, overrides: Record<string, Parameters<typeof ApiProperty>[0]> = {}) =>
  (target: Type): void => {
    for (const [name, property] of propertiesOf(schema)) {
      const required = schema.required?.includes(name) ?? false;
      const { example, ...rest } = property;
      ApiProperty(
        overrides[name] ?? {
          ...(rest as object),
          ...(example === undefined ? {} : { example }),
          required,
        },
      )(target.prototype as object, name);
    }
  };

/** The query parameters of an operation in the OpenAPI document, from the route's query schema. */
export const ApiQueryFrom = (schema: JsonSchema): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...propertiesOf(schema).map(([name, { description, ...rest }]) =>
      ApiQuery({
        name,
        required: schema.required?.includes(name) ?? false,
        ...(description === undefined ? {} : { description }),
        schema: rest as object,
      }),
    ),
  );

const RAW_QUERY = Symbol('raw-query');
type SchemaRequest = FastifyRequest & { [RAW_QUERY]?: unknown };

/**
 * Routes with a query schema are validated by Fastify (Ajv, compiled once) and still reach their
 * handler when the query is invalid (`attachValidation`): the handler's SchemaQuery parameter
 * then answers the 400 in the very words class-validator gives, from the query as it was sent
 * (kept here, since Ajv coerces in place). Fastify's Ajv keeps unknown parameters, so
 * `additionalProperties: false` refuses them instead of dropping them silently (see server.ts).
 * Before any route is registered.
 */
export function attachQueryValidation(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema as { querystring?: unknown } | undefined;
    if (!schema?.querystring) return;
    route.attachValidation = true;
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

type Checked = { valid: true; query: unknown } | { valid: false; sent: unknown };

/**
 * Ajv (compiled from the route's schema) decides; class-validator only explains. A query Ajv
 * accepted is passed on as Ajv coerced it. One it refused goes through the global validation pipe
 * with `dto`, whose field errors are the api's contract (validation.errors.ts): the same 400 as
 * before, byte for byte. The two describe the same rules (items.schema.spec.ts checks they agree);
 * should Ajv ever be the stricter, the DTO the pipe returns is used.
 */
class ExplainRefusal implements PipeTransform<Checked> {
  private readonly pipe = createValidationPipe();
  constructor(private readonly dto: Type) {}

  transform(checked: Checked): unknown {
    if (checked.valid) return checked.query;
    return this.pipe.transform(checked.sent, { type: 'query', metatype: this.dto });
  }
}

/**
 * Whether Fastify's Ajv accepted a query, as the api takes it. Ajv coerces `Infinity` (and
 * `1e400`) to a number that passes its `integer` and `maximum` checks (found by the fuzz suite:
 * `?limit=Infinity` reached the database as a 500); a non-finite number is therefore refused here
 * and explained like any other refusal.
 */
export function schemaAccepted(validationError: unknown, query: unknown): boolean {
  return (
    validationError === undefined &&
    Object.values(query as object).every((v) => typeof v !== 'number' || Number.isFinite(v))
  );
}

const checkedQuery = createParamDecorator((_data: unknown, context: ExecutionContext): Checked => {
  const request = context.switchToHttp().getRequest<SchemaRequest>();
  return schemaAccepted(request.validationError, request.query)
    ? { valid: true, query: request.query }
    : { valid: false, sent: request[RAW_QUERY] ?? {} };
});

/** The route's query, validated by its `@RouteSchema` querystring; `dto` explains a refusal. */
export const SchemaQuery = (dto: Type): ParameterDecorator => checkedQuery(new ExplainRefusal(dto));
