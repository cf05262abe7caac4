import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

/**
 * The apps' own spans (stages, WebSocket frames, the relay). Through the global API: while the SDK
 * is not started (tracing off) every call here is a no-op on a non-recording span.
 */
const tracer = () => trace.getTracer('market-scanner');

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when absent. */
  parent?: Context;
}

/**
 * Runs `fn` in a new span, active for everything `fn` awaits (database and Redis calls become its
 * children). A rejection is recorded on the span (status ERROR) and passed on.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent, ...startOptions } = options;
  return tracer().startActiveSpan(
    name,
    startOptions,
    parent ?? context.active(),
    async (span): Promise<T> => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Method decorator: each call of the method runs in a span of its own ({@link inSpan}). Works with
 * Nest's method decorators in any order: their metadata is copied onto the wrapper.
 */
export function Traced(name: string, kind: SpanKind = SpanKind.INTERNAL): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    const wrapper = function (this: unknown, ...args: unknown[]) {
      return inSpan(name, { kind }, () => method.apply(this, args));
    };
    for (const key of Reflect.getMetadataKeys(method))
      Reflect.defineMetadata(key, Reflect.getMetadata(key, method), wrapper);
    Object.defineProperty(wrapper, 'name', { value: method.name });
    descriptor.value = wrapper;
  };
}

/** The span the caller runs in, if tracing is on and one is active. */
export function activeSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span && trace.isSpanContextValid(span.spanContext()) ? span : undefined;
}

/**
 * The W3C `traceparent` of the active span, to carry a trace where no propagator reaches (a job's
 * return value); undefined when tracing is off.
 */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** The context a `traceparent` from {@link activeTraceparent} stands for (the root one if none). */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * `trace_id`, `span_id` and `trace_flags` of the active span for a log line (the names of
 * OpenTelemetry's log data model), or nothing outside a trace: pino's `mixin`.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return {};
  return {
    trace_id: traceId,
    span_id: spanId,
    trace_flags: `0${traceFlags.toString(16)}`.slice(-2),
  };
}

/**
 * The active span as a Prometheus exemplar (`trace_id`, `span_id`): only for a sampled span, the
 * only kind a trace backend holds, so that every exemplar leads to a trace.
 */
export function traceExemplar(): { trace_id: string; span_id: string } | undefined {
  const span = activeSpan();
  const { traceId, spanId, traceFlags } = span?.spanContext() ?? {};
  return traceId && spanId && (traceFlags ?? 0) & TraceFlags.SAMPLED
    ? { trace_id: traceId, span_id: spanId }
    : undefined;
}
