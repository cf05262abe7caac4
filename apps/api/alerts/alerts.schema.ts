import { PAGE_CURSOR, pageLimitSchema, type JsonSchema } from '../http/json-schema.js';

/**
 * GET /v1/alerts's query as Fastify validates it (Ajv, compiled once). ListAlertsQuery states the
 * same rules for class-validator, which words a refusal, and describes the query in the OpenAPI
 * document; alerts.schema.spec.ts checks that both accept the same queries.
 */
export const LIST_ALERTS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // A real instant (ajv-formats checks the calendar and the clock) written the one way a client
    // does: seconds, a `T`, a zone. ISO 8601's other spellings (no seconds, a week date) are refused
    // here and left to class-validator, whose answer (IsISO8601, strict) stands: Ajv is only ever
    // the stricter of the two.
    since: {
      type: 'string',
      format: 'date-time',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
    },
    limit: pageLimitSchema(200),
    cursor: PAGE_CURSOR,
  },
} as const satisfies JsonSchema;
