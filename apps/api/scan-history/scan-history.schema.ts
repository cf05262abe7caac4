import { PAGE_CURSOR, pageLimitSchema, type JsonSchema } from '../http/json-schema.js';
import { SCAN_STATUSES } from './scan-history.dto.js';

/**
 * GET /v1/scans's query as Fastify validates it (Ajv, compiled once). ListScansQuery states the
 * same rules for class-validator, which words a refusal, and describes the query in the OpenAPI
 * document; scan-history.schema.spec.ts checks that both accept the same queries.
 */
export const LIST_SCANS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: SCAN_STATUSES },
    limit: pageLimitSchema(100),
    cursor: PAGE_CURSOR,
  },
} as const satisfies JsonSchema;
