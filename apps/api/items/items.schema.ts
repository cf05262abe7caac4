import type { JsonSchema } from '../http/json-schema.js';

/**
 * GET /v1/items's query, as Fastify validates it (Ajv, compiled once) and the OpenAPI document
 * describes it. ListItemsQuery (items.dto.ts) states the same rules for class-validator, which
 * words the 400 of a refused query; items.schema.spec.ts checks that both accept the same queries.
 */
export const LIST_ITEMS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sector: {
      type: 'string',
      maxLength: 64,
      description: 'GICS sector, case-insensitive; aliases such as "technology" accepted',
    },
    q: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      // PostgreSQL text cannot hold NUL: refused as invalid, never a 500.
      pattern: '^[^\\u0000]*$',
      description: 'Case-insensitive substring of the symbol or the name',
    },
    active: {
      type: 'boolean',
      description: 'true (default): active items; false: deactivated ones',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: {
      type: 'string',
      maxLength: 200,
      description: "Opaque cursor from the previous page's nextCursor",
    },
  },
} as const satisfies JsonSchema;

/** One instrument as every items route answers it (`Item` in the OpenAPI document). */
export const ITEM = {
  type: 'object',
  properties: {
    symbol: { type: 'string', example: 'AAPL' },
    name: { type: 'string', example: 'Apple Inc.' },
    description: { type: 'string' },
    sector: { type: 'string', example: 'Information Technology' },
    industry: {
      type: 'string',
      nullable: true,
      example: 'Technology Hardware, Storage & Peripherals',
    },
    active: { type: 'boolean' },
    firstBarDate: { type: 'string', format: 'date', nullable: true, example: '2013-02-08' },
    lastBarDate: { type: 'string', format: 'date', nullable: true, example: '2018-02-07' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: [
    'symbol',
    'name',
    'description',
    'sector',
    'industry',
    'active',
    'firstBarDate',
    'lastBarDate',
    'createdAt',
    'updatedAt',
  ],
} as const satisfies JsonSchema;

/** A page of GET /v1/items (`ItemPage`). */
export const ITEM_PAGE = {
  type: 'object',
  properties: {
    data: { type: 'array', items: ITEM },
    nextCursor: {
      type: 'string',
      nullable: true,
      description: 'Pass as ?cursor= for the next page; null on the last page',
    },
  },
  required: ['data', 'nextCursor'],
} as const satisfies JsonSchema;
