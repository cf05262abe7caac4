import type { JsonSchema } from '../http/json-schema.js';
import { MAX_BATCH, MAX_TEXT } from './predict.dto.js';

const TEXT = { type: 'string', minLength: 1, maxLength: MAX_TEXT } as const satisfies JsonSchema;

/**
 * POST /v1/predict's body as Fastify validates it (Ajv, compiled once). PredictDto states the same
 * rules for class-validator, which words the 400 of a refused body and describes it in the OpenAPI
 * document; predict.schema.spec.ts checks that both accept the same bodies.
 */
export const PREDICT_TEXT_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: TEXT },
} as const satisfies JsonSchema;

/** POST /v1/predict/batch's body; PredictBatchDto's rules. */
export const PREDICT_BATCH_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['texts'],
  properties: { texts: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: TEXT } },
} as const satisfies JsonSchema;
