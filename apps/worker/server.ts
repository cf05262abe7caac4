import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '#config';
import { installHttpMetrics, installRequestIdHeader, requestIdFor } from '#observability';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule,
    new FastifyAdapter({ genReqId: requestIdFor, requestIdHeader: false }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the app: every consumer finishes its running job first (DrainingWorkerHost).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const fastify = app.getHttpAdapter().getInstance();
  installHttpMetrics(fastify);
  installRequestIdHeader(fastify);
  await app.listen(config.worker.port, config.api.host);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
