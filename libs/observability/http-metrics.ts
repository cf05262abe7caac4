import type { FastifyInstance } from 'fastify';
import { httpRequestDuration, observeDuration } from './metrics.js';

/**
 * Records every response, including those Fastify answers itself (404, body errors), under its
 * route template; unmatched paths share one label so a scanner of random URLs adds no series.
 */
export function installHttpMetrics(fastify: FastifyInstance): void {
  // Server-Timing lets clients and benchmarks see the server's share of a response time.
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Server-Timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    observeDuration(
      httpRequestDuration,
      { method: request.method, route, status_class: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });
}
