import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '#config';
import {
  installHttpMetrics,
  installRequestIdHeader,
  installRequestLogging,
  requestIdFor,
} from '#observability';
import { installTraceResponse } from '#tracing';
import { AppModule } from './app.module.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { authenticateBeforeBody } from './auth/authenticate-before-body.js';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage.js';
import { clientErrors, expectationFailed, frameworkErrors } from './http/framework-errors.js';
import { limitBodiesPerRoute } from './http/body-limits.js';
import { depthCheckedJsonParser } from './http/json-body.parser.js';
import { attachSchemaValidation } from './http/schema-validation.js';
import { setupSwagger } from './http/swagger.js';
import { parseClientMessage } from './scans/ws-protocol.js';
import { createValidationPipe } from './http/validation.pipe.js';

/**
 * Only the proxies TRUST_PROXY names (Nginx: on loopback on a host, its network in compose) may tell
 * us the client address through X-Forwarded-For; Fastify (proxy-addr) takes the ranges as they are.
 */
const trustProxy = (config: AppConfig) =>
  config.api.trustProxy.length > 0 ? [...config.api.trustProxy] : false;

export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: trustProxy(config),
    bodyLimit: config.api.bodyLimitBytes,
    // X-Request-Id in and out; nestjs-pino's logger logs requests from Fastify hooks
    // (installRequestLogging; Fastify's own logger is off by default).
    genReqId: requestIdFor,
    requestIdHeader: false,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    // No Express-style middleware layer: the app has no Nest middleware (logging, request ids,
    // metrics and authentication are Fastify hooks), so @fastify/middie is never registered.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    // Nest would also parse form bodies, and Fastify parses text/plain: both then reached the DTOs
    // as strings or string maps. Only JSON is parsed; any other body is a 415.
    bodyParser: false,
  });
  app.useBodyParser(
    'application/json',
    { bodyLimit: config.api.bodyLimitBytes },
    depthCheckedJsonParser(app.getHttpAdapter().getInstance()),
  );
  // Before any route is registered (routes are added at init; Swagger's below).
  limitBodiesPerRoute(app.getHttpAdapter().getInstance(), config.api.bodyLimitBytes);
  // Route schemas are compiled by our Ajv settings (a query coerced, a body not; unknown fields kept).
  attachSchemaValidation(app.getHttpAdapter().getInstance());
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.getHttpServer().on('checkExpectation', expectationFailed);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  // Our WebSocket protocol is `{type, ...}`; the adapter dispatches `{event, data}`.
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: parseClientMessage }));
  // useProcessExit: exit 0 after a clean shutdown instead of re-raising the signal (exit 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const fastify = app.getHttpAdapter().getInstance();
  installHttpMetrics(fastify);
  installRequestIdHeader(fastify);
  installRequestLogging(fastify, await app.resolve(PinoLogger));
  installTraceResponse(fastify);
  authenticateBeforeBody(fastify, app.get(ApiKeyService), app.get(RedisThrottlerStorage), config);
  if (config.api.docsEnabled) setupSwagger(app);
  return app;
}

/** Builds the api and listens on API_HOST:API_PORT (main.ts starts tracing first). */
export async function serveApi(config: AppConfig): Promise<void> {
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
}
