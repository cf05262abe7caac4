import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '#config';
import {
  installHttpMetrics,
  installRequestIdHeader,
  installRequestLogging,
  requestIdFor,
} from '#observability';
import { WorkerModule } from './worker.module.js';

/** Builds the worker (its consumers, health and metrics) and listens on WORKER_PORT (main.ts starts tracing first). */
export async function serveWorker(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule,
    // skipMiddie: no Nest middleware here either (see the api's server.ts).
    new FastifyAdapter({ genReqId: requestIdFor, requestIdHeader: false, skipMiddie: true }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the app: every consumer finishes its running job first (DrainingWorkerHost).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const fastify = app.getHttpAdapter().getInstance();
  installHttpMetrics(fastify);
  installRequestIdHeader(fastify);
  installRequestLogging(fastify, await app.resolve(PinoLogger));
  await app.listen(config.worker.port, config.api.host);
}
