import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createOpenApiDocument } from './http/swagger.js';

/**
 * `npm run openapi:write`: writes the api's OpenAPI document to docs/openapi.json (or the path given
 * as argument). Preview mode reads the decorators without instantiating any provider, so neither
 * PostgreSQL, Redis nor a valid environment is needed.
 */
async function main(): Promise<void> {
  const target = process.argv[2] ?? 'docs/openapi.json';
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  writeFileSync(target, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  process.stderr.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
