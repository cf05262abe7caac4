import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { FastifyInstance } from 'fastify';
import { activeSpan } from './spans.js';
import { tracingStarted } from './tracing.sdk.js';

/**
 * For each traced request (tracing on): names the HTTP server span after the route template
 * (`GET /v1/scans/:id`, the `http.route` attribute), and answers the W3C Trace Context Level 2
 * `traceresponse` header, `00-<trace id>-<server span id>-<flags>`, so a client can quote the
 * trace of any response. Nothing while tracing is off.
 */
export function installTraceResponse(fastify: FastifyInstance): void {
  if (!tracingStarted()) return;
  fastify.addHook('onRequest', async (request, reply) => {
    const span = activeSpan();
    if (!span) return;
    const rpc = getRPCMetadata(context.active());
    // The HTTP instrumentation sets http.route and the span's name from this when the response ends.
    if (rpc?.type === RPCType.HTTP && request.routeOptions.url)
      rpc.route = request.routeOptions.url;
    const { traceId, spanId, traceFlags } = span.spanContext();
    reply.header('traceresponse', `00-${traceId}-${spanId}-0${traceFlags & 1}`);
  });
}
