import { context, trace, type Context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { SpanKind, type Span, type Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { tracingStarted } from './tracing.sdk.js';

/**
 * What BullMQ does for itself outside any trace — a worker polling for its next job, extending
 * locks, checking for stalled jobs, every few seconds — is not traced, and neither is anything
 * under it (its Redis commands): each would be a trace of its own, burying the scans.
 */
const UNTRACED: Span<Context> = {
  setSpanOnContext: (ctx) => suppressTracing(ctx),
  setAttribute: () => {},
  setAttributes: () => {},
  addEvent: () => {},
  recordException: () => {},
  end: () => {},
};

/**
 * BullMQ's `telemetry` option (Queue, Worker; @nestjs/bullmq passes the shared config's to both):
 * bullmq-otel, so that `queue.add` is a producer span whose context travels in the job and the
 * worker's processing is a consumer span in the same trace. Undefined while tracing is off, so
 * BullMQ takes its path without telemetry.
 */
export function bullmqTelemetry(enabled = tracingStarted()): Telemetry<Context> | undefined {
  if (!enabled) return undefined;
  const otel = new BullMQOtel({ tracerName: 'bullmq' });
  return {
    contextManager: otel.contextManager,
    tracer: {
      startSpan: (name, options, ctx) =>
        options?.kind === SpanKind.INTERNAL && !trace.getSpan(ctx ?? context.active())
          ? UNTRACED
          : otel.tracer.startSpan(name, options, ctx),
    },
  };
}
