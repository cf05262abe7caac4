import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertSchemaAgrees } from '../http/schema-agreement.fakes.js';
import { PushRegistrationDto } from './push-registration.dto.js';
import { PUSH_REGISTRATION_BODY } from './push-registration.schema.js';

const TOKEN = '5f3a9c0e7b1d42a8c6e09f7d3b2a1c4e8f6d5b3a2c1e0f9d8b7a6c5e4d3b2a1f';

/** Bodies on both sides of every rule of PUT /v1/installations/me/push, and client mistakes. */
const BODIES = [
  { token: TOKEN, environment: 'production' },
  { token: TOKEN, environment: 'sandbox' },
  { token: TOKEN.toUpperCase(), environment: 'sandbox' },
  { token: 'ab'.repeat(8), environment: 'sandbox' },
  { token: 'ab'.repeat(7), environment: 'sandbox' },
  { token: 'ab'.repeat(100), environment: 'sandbox' },
  { token: 'ab'.repeat(101), environment: 'sandbox' },
  { token: `${TOKEN}a`, environment: 'sandbox' },
  { token: `${TOKEN.slice(2)}zz`, environment: 'sandbox' },
  { token: `<${TOKEN}>`, environment: 'sandbox' },
  { token: '', environment: 'sandbox' },
  { token: 42, environment: 'sandbox' },
  { token: null, environment: 'sandbox' },
  { token: TOKEN, environment: 'Production' },
  { token: TOKEN, environment: 'development' },
  { token: TOKEN, environment: null },
  { token: TOKEN },
  { environment: 'sandbox' },
  { token: TOKEN, environment: 'sandbox', bundle: 'com.example' },
  {},
  [],
  null,
  'token',
];

describe('PUSH_REGISTRATION_BODY (Fastify, Ajv) and PushRegistrationDto (class-validator)', () => {
  it('accept and refuse the same bodies', () =>
    assertSchemaAgrees(PUSH_REGISTRATION_BODY, PushRegistrationDto, BODIES));
});
