import { DIRECTIONS, PROFILE_NAMES, RISK_PCT_RANGE } from '#scan-engine';
import type { JsonSchema } from '../http/json-schema.js';

const between = (minimum: number, maximum: number) =>
  ({ type: 'number', minimum, maximum }) as const satisfies JsonSchema;

/**
 * POST /v1/scans's body as Fastify validates it (Ajv, compiled once; a JSON body is never coerced:
 * `"maxSymbols": "5"` is refused). CreateScanDto and the shared terms (scan-terms.decorators.ts)
 * state the same rules for class-validator, which words the 400 of a refused body, validates the
 * WebSocket `scan` message and a watch's request, and describes the body in the OpenAPI document;
 * scans.schema.spec.ts checks that both accept the same bodies.
 */
export const CREATE_SCAN_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sectors: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string', maxLength: 64 },
    },
    symbols: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: { type: 'string', maxLength: 10 },
    },
    maxSymbols: { type: 'integer', minimum: 1, maximum: 500 },
    minTechRating: between(0, 100),
    profile: { type: 'string', enum: PROFILE_NAMES },
    direction: { type: 'string', enum: DIRECTIONS },
    asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    accountSize: between(100, 1e9),
    riskPct: between(RISK_PCT_RANGE.min, RISK_PCT_RANGE.max),
    targetRR: between(0.1, 20),
  },
} as const satisfies JsonSchema;

/** POST /v1/scans's query: `?wait=N` seconds (WaitQuery's rules; its description). */
export const WAIT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // In the order the OpenAPI document has always listed them.
    wait: {
      minimum: 0,
      maximum: 30,
      type: 'number',
      description: 'Hold the response until the scan completes or this many seconds pass',
    },
  },
} as const satisfies JsonSchema;
