import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#config';
import { traceLogFields } from '#tracing';

/** An incoming X-Request-Id is kept only when it is short and plain, so logs cannot be forged. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UNLOGGED = /^\/(health|metrics)(\/|$|\?)/;

/** Fastify's `genReqId`: keeps a caller's X-Request-Id, else makes one; pino-http logs it as req.id. */
export function requestIdFor(req: { headers: IncomingMessage['headers'] }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Middie strips the matched prefix from req.url while middleware runs; originalUrl keeps it. */
const pathOf = (req: IncomingMessage) =>
  (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';

/** Where secrets could appear in a log line; pino replaces them with "[Redacted]". */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const CREDENTIAL = Symbol('credential');

/**
 * Names the credential of a request in its log line (`credential: "msk_AbCd1234"`): the key's or
 * installation's listing prefix, never the secret. Set once the credential is checked; requests
 * refused before that have none.
 */
export function labelRequestCredential(raw: IncomingMessage, label: string): void {
  (raw as IncomingMessage & { [CREDENTIAL]?: string })[CREDENTIAL] = label;
}

function withCredential(req: IncomingMessage, line: object): object {
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

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Fastify + Nest 12 match middleware with path-to-regexp 8 syntax: `*path` is every path.
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          redact: REDACTED_PATHS,
          // trace_id and span_id of the span a line is written in (tracing on): the api's and the
          // worker's lines of one scan share its trace id.
          mixin: traceLogFields,
          autoLogging: { ignore: (req: IncomingMessage) => UNLOGGED.test(pathOf(req)) },
          // Added to the response's line when it is written, after the credential was checked.
          // Not customProps: that makes two child loggers per request, logged or not (~100 µs).
          customSuccessObject: (req: IncomingMessage, _res: unknown, line: object) =>
            withCredential(req, line),
          customErrorObject: (req: IncomingMessage, _res: unknown, _err: unknown, line: object) =>
            withCredential(req, line),
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
