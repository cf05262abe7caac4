import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * The JSON Schema subset this api describes its inputs and outputs with: what Fastify compiles
 * once per route (Ajv validates a query or a body: schema-validation.ts) and what the OpenAPI
 * document says, from the same object. OpenAPI 3.0 spelling (`nullable`), which Ajv and
 * fast-json-stringify both understand.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
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

/** `?limit=`, a page size from 1 to `max` (PageLimit's rule; its default is the service's). */
export const pageLimitSchema = (max: number) =>
  ({ type: 'integer', minimum: 1, maximum: max }) as const satisfies JsonSchema;

/** The longest `?cursor=` a page's nextCursor can be. */
export const CURSOR_MAX_LENGTH = 200;

/** `?cursor=`, the opaque nextCursor of the previous page (PageCursor's rule). */
export const PAGE_CURSOR = {
  type: 'string',
  maxLength: CURSOR_MAX_LENGTH,
} as const satisfies JsonSchema;
