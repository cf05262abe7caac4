import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE, RetryLaterException, type ProblemBody } from './problem.js';

/** Connection-level failures of PostgreSQL or Redis: the client did nothing wrong, retry later. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Connection is closed|connect ECONNREFUSED|Stream isn't writeable|canceling statement due to statement timeout/i;

export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const cause = (error as { driverError?: unknown }).driverError;
  return (
    (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
    UNAVAILABLE_MESSAGES.test(error.message) ||
    (cause !== undefined && cause !== error && isUnavailableError(cause))
  );
}

const UNSUPPORTED_MEDIA_TYPE = 'Unsupported Content-Type: send the body as application/json';

/** Fastify's own client errors (body parsing, size, media type) carry a 4xx `statusCode`. */
function fastifyClientError(error: unknown): ProblemBody | null {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500) return null;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case undefined:
      return problem(400, e.statusCode === 400 ? 'Malformed JSON body' : String(e.message));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'Body is empty but Content-Type is application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, UNSUPPORTED_MEDIA_TYPE);
    default:
      return problem(e.statusCode, typeof e.message === 'string' ? e.message : 'Bad request');
  }
}

function httpProblem(error: HttpException): ProblemBody {
  const status = error.getStatus();
  const response = error.getResponse();
  if (
    typeof response === 'object' &&
    response !== null &&
    'type' in response &&
    'title' in response
  ) {
    return response as ProblemBody;
  }
  // Fastify's media-type error can reach here wrapped by Nest, its code lost: every 415 means this.
  if (status === 415) return problem(415, UNSUPPORTED_MEDIA_TYPE);
  if (error instanceof ThrottlerException)
    return problem(429, 'Rate limit exceeded; retry after the number of seconds in Retry-After');
  const message =
    typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : error.message;
  return problem(status, detail);
}

/**
 * Turns every error into `application/problem+json` (RFC 9457). Client mistakes keep their 4xx,
 * an unavailable database or Redis is a 503 with a generic body, anything else is a 500 whose
 * details go to the log only: never a stack trace to the client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body: ProblemBody;
    if (error instanceof HttpException) {
      body = httpProblem(error);
    } else if (isUnavailableError(error)) {
      this.logger.warn({ err: error }, 'backing service unavailable');
      body = problem(503, 'A backing service is temporarily unavailable; retry shortly');
    } else {
      const clientError = fastifyClientError(error);
      if (clientError) body = clientError;
      else {
        this.logger.error({ err: error }, 'unhandled error');
        body = problem(500, 'Internal error');
      }
    }
    if (reply.sent) return;
    if (error instanceof RetryLaterException)
      reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    // Every 503 tells the client when to come back.
    if (body.status === 503 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '5');
    void reply
      .status(body.status)
      .header('Content-Type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(body));
  }
}
