import { DIRECTIONS, PROFILE_NAMES, RISK_PCT_RANGE } from '#scan-engine';
import type { JsonSchema } from '../http/json-schema.js';
import { ACCOUNT_SIZE_RANGE, TARGET_RR_RANGE } from './scan-terms.decorators.js';

const between = ({ min, max }: { min: number; max: number }) =>
  ({ type: 'number', minimum: min, maximum: max }) as const satisfies JsonSchema;

/** The bounds of a scan body's fields: this schema's, and CreateScanDto's rules (scans.dto.ts). */
export const SCAN_BODY_LIMITS = Object.freeze({
  sectors: { items: 20, length: 64 },
  symbols: { items: 500, length: 10 },
  maxSymbols: { min: 1, max: 500 },
  minTechRating: { min: 0, max: 100 },
});
/** `?wait=`, seconds. */
export const WAIT_RANGE = Object.freeze({ min: 0, max: 30 });

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
      maxItems: SCAN_BODY_LIMITS.sectors.items,
      items: { type: 'string', maxLength: SCAN_BODY_LIMITS.sectors.length },
    },
    symbols: {
      type: 'array',
      minItems: 1,
      maxItems: SCAN_BODY_LIMITS.symbols.items,
      items: { type: 'string', maxLength: SCAN_BODY_LIMITS.symbols.length },
    },
    maxSymbols: {
      type: 'integer',
      minimum: SCAN_BODY_LIMITS.maxSymbols.min,
      maximum: SCAN_BODY_LIMITS.maxSymbols.max,
    },
    minTechRating: between(SCAN_BODY_LIMITS.minTechRating),
    profile: { type: 'string', enum: PROFILE_NAMES },
    direction: { type: 'string', enum: DIRECTIONS },
    asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    accountSize: between(ACCOUNT_SIZE_RANGE),
    riskPct: between(RISK_PCT_RANGE),
    targetRR: between(TARGET_RR_RANGE),
  },
} as const satisfies JsonSchema;

/** POST /v1/scans's query: `?wait=N` seconds (WaitQuery's rules, which also describe it). */
export const WAIT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { wait: { type: 'number', minimum: WAIT_RANGE.min, maximum: WAIT_RANGE.max } },
} as const satisfies JsonSchema;
