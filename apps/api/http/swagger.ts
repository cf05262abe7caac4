import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with the API key as security scheme. */
export function setupSwagger(app: NestFastifyApplication): void {
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
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
