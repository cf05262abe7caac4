import type { JsonSchema } from '../http/json-schema.js';
import { CREATE_SCAN_BODY } from '../scans/scans.schema.js';

const { asOf, profile, direction, accountSize, riskPct, targetRR } = CREATE_SCAN_BODY.properties;

/**
 * GET /v1/items/{symbol}/analysis's query as Fastify validates it (Ajv, compiled once): the scan's
 * terms with the scan body's rules, a query string's numbers converted first. AnalysisQuery states
 * the same rules for class-validator, which words a refusal, and describes the query in the
 * OpenAPI document; analysis.schema.spec.ts checks that both accept the same queries.
 */
export const ANALYSIS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { asOf, profile, direction, accountSize, riskPct, targetRR },
} as const satisfies JsonSchema;
