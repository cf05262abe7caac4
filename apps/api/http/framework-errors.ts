import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Errors Fastify's router raises before any route (and so before Nest's exception filters) runs:
 * a malformed URL or a path parameter over the length limit. They get problem+json like every other
 * error, with the request id.
 */
export function frameworkErrors(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(414, 'A path segment is too long')
      : error.code === 'FST_ERR_BAD_URL'
        ? problem(400, 'Malformed URL')
        : problem(500, 'Internal error');
  void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).header('X-Request-Id', request.id).send(JSON.stringify(body));
}
