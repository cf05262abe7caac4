import { DEVICE_TOKEN_PATTERN } from '#apns';
import { APNS_ENVIRONMENTS } from '#database';
import type { JsonSchema } from '../http/json-schema.js';

/**
 * PUT /v1/installations/me/push's body as Fastify validates it (Ajv, compiled once; never coerced).
 * PushRegistrationDto states the same rules for class-validator, which words a refusal and
 * describes the body in the OpenAPI document; push-registration.schema.spec.ts checks that both
 * accept the same bodies.
 */
export const PUSH_REGISTRATION_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'environment'],
  properties: {
    token: { type: 'string', pattern: DEVICE_TOKEN_PATTERN.source },
    environment: { type: 'string', enum: APNS_ENVIRONMENTS },
  },
} as const satisfies JsonSchema;
