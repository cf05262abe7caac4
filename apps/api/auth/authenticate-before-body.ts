import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '#config';
import { labelRequestCredential } from '#observability';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { rateLimitKey, rateLimitOf, spendRateLimit } from '../rate-limit/rate-limit.budget.js';
import type { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { extractApiKey, isProtectedRoute, type AuthenticatedRequest } from './api-key.guard.js';
import { GUESS_REFUSED, type ApiKeyService } from './api-key.service.js';

/** A body larger than this is not drained after a refusal: the connection is closed instead. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 401 | 429,
  detail: string,
  retryAfter?: number,
): FastifyReply {
  // Node would read and discard the rest of a refused body to reuse the connection; for a large
  // one, closing costs less than reading what nobody will parse.
  const length = Number(request.headers['content-length'] ?? 0);
  if (length > DRAIN_LIMIT_BYTES || request.headers['transfer-encoding'] !== undefined)
    reply.header('Connection', 'close');
  if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, detail));
}

/**
 * Checks the credential of every /v1 request in Fastify's `preParsing` hook — after routing and
 * the request log's start, before a byte of the body is read or parsed — so a request without a
 * valid key or token costs no body. ApiKeyGuard then finds the principal in place and checks the
 * route's scope; this hook is the only place an HTTP request is authenticated. Unknown credentials are counted per client address (`authFailures`); past the
 * limit, a key that may be a guess gets 429 from that address without a database lookup.
 */
export function authenticateBeforeBody(
  fastify: FastifyInstance,
  keys: ApiKeyService,
  limits: RedisThrottlerStorage,
  config: AppConfig,
): void {
  const failures = (ip: string) => rateLimitKey('authFailures', `ip:${ip}`);
  const tooMany = (request: FastifyRequest, reply: FastifyReply) =>
    refuse(
      request,
      reply,
      429,
      'Too many requests with an unknown API key from this address; retry later',
      config.rateLimits.windowSeconds,
    );

  fastify.addHook('preParsing', async (request, reply, payload) => {
    if (!isProtectedRoute(request.routeOptions.url)) return payload;
    const key = extractApiKey(request.headers);
    if (!key) {
      refuse(request, reply, 401, 'Missing API key: send it in the X-API-Key header');
      return payload;
    }
    const principal = await keys.authenticate(
      key,
      async () => (await limits.hits(failures(request.ip))) < rateLimitOf(config, 'authFailures'),
    );
    if (principal === GUESS_REFUSED) {
      tooMany(request, reply);
      return payload;
    }
    if (!principal) {
      const spent = await spendRateLimit(limits, config, 'authFailures', `ip:${request.ip}`);
      if (spent.isBlocked) tooMany(request, reply);
      else refuse(request, reply, 401, 'Invalid or revoked API key');
      return payload;
    }
    (request as AuthenticatedRequest).principal = principal;
    labelRequestCredential(request.raw, principal.label ?? principal.keyId);
    return payload;
  });
}
