import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import { isUnlogged, withCredential } from './logging.module.js';
import { serveWithin } from './request-context.js';

const STARTED = Symbol('started');

type LoggedRequest = IncomingMessage & { id?: string; [STARTED]?: number };

/**
 * The request log as Fastify hooks, where nestjs-pino would mount pino-http as Nest middleware
 * (and with it @fastify/middie, an Express-style layer every request went through). The lines are
 * pino-http's: a line the app writes while serving a request names it as `req` (the root logger's
 * mixin reads the request being served: request-context.ts), and its response is logged once
 * sent, as `request completed` (`request errored` with `err` for a 5xx) with `req`, `res`,
 * `responseTime` (ms) and the credential that made it. Probes and scrapes (/health, /metrics)
 * write no line of their own.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw as LoggedRequest;
    // The request id the serializer logs as req.id (Fastify keeps it on its own request object).
    raw.id = request.id;
    raw[STARTED] = Date.now();
    // The rest of Fastify's lifecycle runs inside `done`, so inside this request's context.
    serveWithin(raw, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const raw = request.raw as LoggedRequest;
    const log = logger.logger;
    if (!isUnlogged(raw.url) && log.isLevelEnabled('info')) {
      const res = reply.raw;
      const responseTime = Date.now() - (raw[STARTED] ?? Date.now());
      if (res.statusCode >= 500) {
        const err = new Error(`failed with status code ${res.statusCode}`);
        log.info(withCredential(raw, { req: raw, res, err, responseTime }), 'request errored');
      } else log.info(withCredential(raw, { req: raw, res, responseTime }), 'request completed');
    }
    done();
  });
}
