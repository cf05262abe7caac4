import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#config';
import { traceLogFields } from '#tracing';
import { servedRequest } from './request-context.js';

/** An incoming X-Request-Id is kept only when it is short and plain, so logs cannot be forged. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UNLOGGED = /^\/(health|metrics)(\/|$|\?)/;

/** Fastify's `genReqId`: keeps a caller's X-Request-Id, else makes one; pino-http logs it as req.id. */
export function requestIdFor(req: { headers: IncomingMessage['headers'] }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Where secrets could appear in a log line; pino replaces them with "[Redacted]". */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export const CREDENTIAL = Symbol('credential');

/**
 * Names the credential of a request in its log line (`credential: "msk_AbCd1234"`): the key's or
 * installation's listing prefix, never the secret. Set once the credential is checked; requests
 * refused before that have none.
 */
export function labelRequestCredential(raw: IncomingMessage, label: string): void {
  (raw as IncomingMessage & { [CREDENTIAL]?: string })[CREDENTIAL] = label;
}

export function withCredential(req: IncomingMessage, line: object): object {
  const credential = (req as IncomingMessage & { [CREDENTIAL]?: string })[CREDENTIAL];
  return credential ? { ...line, credential } : line;
}

const decodedName = (name: string): string => {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
};

/**
 * Drops the value of `apiKey=` (browsers' WebSocket auth) from logged URLs, whatever the spelling:
 * the app reads the parameter after percent-decoding its name (`%61piKey` is `apiKey`), so the
 * redaction decodes names too, and ignores case.
 */
export function redactUrl(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const query = url
    .slice(q + 1)
    .split(/([&;])/)
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      return decodedName(name).trim().toLowerCase() === 'apikey' && eq >= 0
        ? `${name}=[Redacted]`
        : part;
    })
    .join('');
  return `${url.slice(0, q + 1)}${query}`;
}

/** Paths whose requests write no line of their own (probes and scrapes, many a minute). */
export const isUnlogged = (url: string | undefined): boolean => UNLOGGED.test(url ?? '');

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // No routes: nestjs-pino would mount pino-http as Nest middleware, which makes Nest
        // register @fastify/middie and run every request through it. Requests are logged by
        // Fastify hooks instead (request-logging.ts), through this same root logger.
        forRoutes: [],
        pinoHttp: {
          level: config.logLevel,
          redact: REDACTED_PATHS,
          // The request being served, if any (request-context.ts), serialized and redacted like
          // any `req` field; and trace_id and span_id of the span a line is written in (tracing
          // on): the api's and the worker's lines of one scan share its trace id.
          mixin: () => {
            const req = servedRequest();
            return req ? { req, ...traceLogFields() } : traceLogFields();
          },
          serializers: {
            req: (req: {
              id: string;
              method: string;
              url?: string;
              headers: unknown;
              remoteAddress?: string;
            }) => ({
              id: req.id,
              method: req.method,
              url: redactUrl(req.url),
              headers: req.headers,
              remoteAddress: req.remoteAddress,
            }),
          },
          // Human-readable lines only while developing; JSON everywhere else.
          transport:
            config.env === 'development'
              ? { target: 'pino-pretty', options: { singleLine: true } }
              : undefined,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
