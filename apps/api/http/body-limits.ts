import type { FastifyInstance } from 'fastify';

/**
 * Bytes a request body may have on routes that do not say otherwise: every JSON body of this api
 * but a batch prediction fits in a few KB (a scan with 500 symbols is ~5 KB, one text of 2,000
 * characters at most ~12 KB escaped), and what is never read is never parsed nor validated.
 */
export const ROUTE_BODY_LIMIT_BYTES = 32 * 1024;

/** Routes whose bodies may be larger: up to BODY_LIMIT_BYTES, the process-wide limit. */
const LARGE_BODIES = new Set(['POST /v1/predict/batch']);

/**
 * Gives every route a body limit as it is registered (Fastify's `onRoute`), so Fastify refuses a
 * larger body with 413 while reading it — by its Content-Length before a byte, or as soon as a
 * chunked body passes it — instead of after parsing a megabyte meant for a 200-byte DTO.
 */
export function limitBodiesPerRoute(fastify: FastifyInstance, processLimit: number): void {
  fastify.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const large = methods.some((m) => LARGE_BODIES.has(`${m} ${route.url}`));
    route.bodyLimit = large ? processLimit : Math.min(ROUTE_BODY_LIMIT_BYTES, processLimit);
  });
}
