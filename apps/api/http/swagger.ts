import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document of the api. It is committed as docs/openapi.json (`npm run openapi:write`);
 * a test fails when the served /docs-json differs from the committed file.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Market Scanner API')
    .setDescription(
      'REST API of the Market Scanner app. Every /v1 route needs an API key (X-API-Key header or ' +
        'Authorization: Bearer). Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'the same API key as a bearer token',
        bearerFormat: 'API key',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Served on loopback for Prometheus only (Nginx denies it): "Try it out" could only show a 403.
  delete document.paths['/metrics'];
  return document;
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with the API key as security scheme. */
export function setupSwagger(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
