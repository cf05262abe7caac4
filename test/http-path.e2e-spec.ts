import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';
import { createApiApp } from '../apps/api/server.js';
import { testConfig } from './support/e2e.js';

/**
 * The api's request path as Fastify runs it (issue 16): no Express-style middleware layer, and
 * GET /v1/items validated from the schema of its route. The behaviour itself is
 * covered by items, errors and the fuzz suite; this checks the plumbing they cannot see.
 */
describe('the request path on Fastify hooks and route schemas', () => {
  let app: NestFastifyApplication;
  const routes: RouteOptions[] = [];
  before(async () => {
    // The app's modules read their configuration from the environment.
    process.env.LOG_LEVEL = 'silent';
    app = await createApiApp(testConfig());
    // Nest adds its routes at init: record them as Fastify receives them.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        routes.push(route);
      });
    await app.init();
  });
  after(() => app.close());

  it('registers no @fastify/middie: nothing runs as Nest middleware', () => {
    const fastify = app.getHttpAdapter().getInstance();
    assert.equal(fastify.hasPlugin('@fastify/middie'), false);
    assert.equal(typeof (fastify as unknown as { use?: unknown }).use, 'undefined');
  });

  it('gives GET /v1/items its query schema, compiled by Fastify', () => {
    const route = routes.find((r) => r.method === 'GET' && r.url === '/v1/items');
    const schema = route?.schema as
      { querystring?: { properties?: object }; response?: Record<string, unknown> } | undefined;
    assert.ok(schema?.querystring?.properties, 'a querystring schema');
    // Refusals reach the handler, which words them as class-validator does.
    assert.equal(route!.attachValidation, true);
    assert.deepEqual(Object.keys(schema.querystring.properties), [
      'sector',
      'q',
      'active',
      'limit',
      'cursor',
    ]);
  });
});
