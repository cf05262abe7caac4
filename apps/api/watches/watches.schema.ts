import type { JsonSchema } from '../http/json-schema.js';
import { CREATE_SCAN_BODY } from '../scans/scans.schema.js';
import { TOP_N_MAX, WATCH_EVENTS } from './watches.dto.js';

const NAME = { type: 'string', minLength: 1, maxLength: 100 } as const satisfies JsonSchema;

/** What a watch alerts on (WatchNotifyDto's rules); absent fields take their defaults later. */
const NOTIFY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topN: { type: 'integer', minimum: 1, maximum: TOP_N_MAX },
    on: {
      type: 'array',
      maxItems: WATCH_EVENTS.length,
      uniqueItems: true,
      items: { type: 'string', enum: WATCH_EVENTS },
    },
  },
} as const satisfies JsonSchema;

/**
 * POST /v1/watches's body as Fastify validates it (Ajv, compiled once; never coerced): a name, a
 * POST /v1/scans body (its own schema; watch-request.ts refuses its `asOf`), and what to alert on.
 * CreateWatchDto states the same rules for class-validator, which words a refusal and describes
 * the body in the OpenAPI document; watches.schema.spec.ts checks that both accept the same bodies.
 */
export const CREATE_WATCH_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'request'],
  properties: { name: NAME, request: CREATE_SCAN_BODY, notify: NOTIFY },
} as const satisfies JsonSchema;

/** PATCH /v1/watches/{id}'s body (UpdateWatchDto's rules): any of the same fields. */
export const UPDATE_WATCH_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: CREATE_WATCH_BODY.properties,
} as const satisfies JsonSchema;
