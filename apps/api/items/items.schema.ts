import { PAGE_CURSOR, pageLimitSchema, type JsonSchema } from '../http/json-schema.js';

/** Text PostgreSQL can hold: no NUL (U+0000), refused as invalid rather than failing there (500). */
export const NO_NUL = '^[^\\u0000]*$';

/**
 * GET /v1/items's query, as Fastify validates it (Ajv, compiled once). ListItemsQuery (items.dto.ts)
 * states the same rules for class-validator, which words the 400 of a refused query, and describes
 * it in the OpenAPI document; items.schema.spec.ts checks that both accept the same queries.
 */
export const LIST_ITEMS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sector: { type: 'string', maxLength: 64 },
    q: { type: 'string', minLength: 1, maxLength: 100, pattern: NO_NUL },
    active: { type: 'boolean' },
    limit: pageLimitSchema(200),
    cursor: PAGE_CURSOR,
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

/** An item's symbol: an upper-case letter, then up to nine of A-Z, 0-9, `.` and `-`. */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}$/;

/**
 * A name as CreateItemDto keeps it: not blank, without NUL, and already trimmed. A name with
 * surrounding blanks is left to class-validator, whose DTO trims it (so the stored name is the same
 * either way); Ajv never changes a body.
 */
const TRIMMED_NAME = {
  type: 'string',
  maxLength: 200,
  pattern: '^[^\\s\\u0000](?:[^\\u0000]*[^\\s\\u0000])?$',
} as const satisfies JsonSchema;
const text = (maxLength: number, nullable = false) =>
  ({ type: 'string', maxLength, pattern: NO_NUL, ...(nullable ? { nullable } : {}) }) as const;
const SECTOR = { type: 'string', minLength: 1, maxLength: 64 } as const satisfies JsonSchema;

/**
 * POST /v1/items's body as Fastify validates it (Ajv, compiled once; never coerced). CreateItemDto
 * states the same rules for class-validator, which words a refusal and describes the body in the
 * OpenAPI document; items.schema.spec.ts checks that both accept the same bodies. An optional field
 * may be null, as class-validator's IsOptional lets it.
 */
export const CREATE_ITEM_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['symbol', 'name', 'sector'],
  properties: {
    symbol: { type: 'string', pattern: SYMBOL_PATTERN.source },
    name: TRIMMED_NAME,
    description: text(2000, true),
    sector: SECTOR,
    industry: text(128, true),
    active: { type: 'boolean', nullable: true },
  },
} as const satisfies JsonSchema;

/**
 * PATCH /v1/items/{symbol}'s body (UpdateItemDto's rules): every field may be absent, none null but
 * `industry` (null clears it).
 */
export const UPDATE_ITEM_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: TRIMMED_NAME,
    description: text(2000),
    sector: SECTOR,
    industry: text(128, true),
    active: { type: 'boolean' },
  },
} as const satisfies JsonSchema;
