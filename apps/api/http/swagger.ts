import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { refineDocument } from './openapi.refine.js';

const DESCRIPTION = `REST API of the Market Scanner app: instruments, their charts and analysis, scans that rank
the S&P 500 by a technical rating, and finance-text sentiment. Scan progress is also streamed over the
WebSocket \`/v1/ws\` (see docs/asyncapi.yaml in the repository).

**Authorization.** Every /v1 route needs a credential, sent as \`X-API-Key: <credential>\` or
\`Authorization: Bearer <credential>\`. An app ships with an *app key* whose only scope is \`install\`;
on first launch it calls \`POST /v1/installations\` with that key and gets its own *token* (shown once:
keep it in the Keychain). The token carries the scopes the app key grants (read, scan, predict) and has
its own rate-limit budgets; send it on every later request. Operators make keys with
\`npm run cli -- keys create\`. Health routes and these docs need no credential.

**TechRating and signals.** Six subscores in [-1, 1] (trend 3, momentum 3, volume 2, volatility 1,
oscillator 1, breakout 1) are weighted and mapped to a TechRating from 0 to 100: 50 is neutral, higher
is more bullish. The signal follows from the rating: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short,
≤ 40 Short, otherwise Avoid. A plan (entry, stop at 2 ATR, target at targetRR × risk, shares sized by
riskPct of accountSize) is given on the signal's side, null for Avoid.

**Errors** are \`application/problem+json\` (RFC 9457): \`{type, title, status, detail, errors?}\`.
429 and 503 carry \`Retry-After\` (seconds).`;

const CREDENTIAL = `An API key or an installation token. Installation flow: the app key (scope
\`install\`) calls POST /v1/installations once per install and receives \`{installationId, token,
scopes}\`; the token, kept in the Keychain, is the credential for every later request. To try the
routes here, paste a key with the scopes you need (make one with \`npm run cli -- keys create --name me
--scopes read,scan,predict\`).`;

/**
 * The OpenAPI document of the api. It is committed as docs/openapi.json (`npm run openapi:write`);
 * a test fails when the served /docs-json differs from the committed file.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Market Scanner API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    // Relative: Swagger UI calls the host that serves it; a generated client sets its own base URL.
    .addServer('/', 'The host serving this document')
    .addServer('https://{host}', 'A deployment behind Nginx (TLS)', {
      host: { default: 'localhost:8443', description: 'host[:port]; 8443 is npm run host:up' },
    })
    .addTag('items', 'Instruments: list, detail, chart bars, one-symbol analysis; admin writes')
    .addTag('scans', 'Ranked scans of the universe, cached per data version; your scan history')
    .addTag('predict', 'Finance-text sentiment from the model held in memory')
    .addTag('meta', 'Data range, sectors, profiles, signal thresholds and your limits')
    .addTag('installations', 'Register an app installation and get its token')
    .addTag('health', 'Liveness and readiness; public, never rate-limited')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: CREDENTIAL },
      'apiKey',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The same credential (API key or installation token) as a bearer token',
        bearerFormat: 'API key',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Served on loopback for Prometheus only (Nginx denies it): "Try it out" could only show a 403.
  delete document.paths['/metrics'];
  return refineDocument(document);
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with the API key as security scheme. */
export function setupSwagger(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}
