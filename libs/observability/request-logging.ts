import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { isUnlogged, withCredential } from './logging.module.js';

const REQUEST_LOG = Symbol('request-log');
const STARTED = Symbol('started');

type LoggedRequest = IncomingMessage & { id?: string; [REQUEST_LOG]?: Logger; [STARTED]?: number };

/**
 * The request log as Fastify hooks, where nestjs-pino would mount pino-http as Nest middleware
 * (and with it @fastify/middie, an Express-style layer every request went through). The lines are
 * pino-http's: each request gets a child of the one root logger bound to `req` (so a line the app
 * writes while serving it names the request), and its response is logged once sent, as
 * `request completed` (`request errored` with `err` for a 5xx) with `res`, `responseTime` (ms) and
 * the credential that made it. Probes and scrapes (/health, /metrics) write no line of their own.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw as LoggedRequest;
    // The request id the serializer logs as req.id (Fastify keeps it on its own request object).
    raw.id = request.id;
    raw[STARTED] = Date.now();
    // nestjs-pino's request context: PinoLogger and Nest's Logger write through this child while
    // the request is served (the rest of Fastify's lifecycle runs inside `done`).
    logger.runInContext(
      () => {
        raw[REQUEST_LOG] = logger.logger;
        done();
      },
      { bindings: { req: raw } },
    );
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const raw = request.raw as LoggedRequest;
    const log = raw[REQUEST_LOG];
    if (log && !isUnlogged(raw.url)) {
      const res = reply.raw;
      const responseTime = Date.now() - (raw[STARTED] ?? Date.now());
      if (res.statusCode >= 500) {
        const err = new Error(`failed with status code ${res.statusCode}`);
        log.info(withCredential(raw, { res, err, responseTime }), 'request errored');
      } else log.info(withCredential(raw, { res, responseTime }), 'request completed');
    }
    done();
  });
}
