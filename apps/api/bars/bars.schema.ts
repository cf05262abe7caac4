import type { JsonSchema } from '../http/json-schema.js';
import { BAR_INTERVALS, MAX_BARS } from './bars.dto.js';

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/**
 * GET /v1/items/{symbol}/bars's query as Fastify validates it (Ajv, compiled once). BarsQueryDto
 * states the same rules for class-validator, which words a refusal, and describes the query in the
 * OpenAPI document; bars.schema.spec.ts checks that both accept the same queries. No defaults here:
 * BarsService.normalize applies them, so an absent field stays absent.
 */
export const BARS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: DATE,
    to: DATE,
    interval: { type: 'string', enum: BAR_INTERVALS },
    limit: { type: 'integer', minimum: 1, maximum: MAX_BARS },
  },
} as const satisfies JsonSchema;
