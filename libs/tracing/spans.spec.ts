import assert from 'node:assert/strict';
import 'reflect-metadata';
import { before, beforeEach, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { inMemoryTracing } from './in-memory-tracing.js';
import {
  activeTraceparent,
  contextOfTraceparent,
  inSpan,
  traceLogFields,
  Traced,
} from './spans.js';

describe('spans', () => {
  let exporter: InMemorySpanExporter;
  before(() => {
    exporter = inMemoryTracing();
  });
  beforeEach(() => exporter.reset());

  it('makes the span active for everything the work awaits, and ends it', async () => {
    await inSpan('outer', { attributes: { 'scan.stage': 'loading' } }, async (outer) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await inSpan('inner', {}, async () => {});
      assert.equal(trace.getActiveSpan(), outer);
    });
    const [inner, outer] = exporter.getFinishedSpans();
    assert.equal(outer!.name, 'outer');
    assert.equal(outer!.attributes['scan.stage'], 'loading');
    assert.equal(inner!.parentSpanContext?.spanId, outer!.spanContext().spanId);
  });

  it('records a rejection as an error and passes it on', async () => {
    await assert.rejects(
      inSpan('failing', {}, async () => {
        throw new Error('no bars');
      }),
      /no bars/,
    );
    const [span] = exporter.getFinishedSpans();
    assert.equal(span!.status.code, SpanStatusCode.ERROR);
    assert.equal(span!.events[0]!.name, 'exception');
  });

  it('carries a trace through a traceparent string, as a job result does', async () => {
    let carried: string | undefined;
    await inSpan('job', { kind: SpanKind.CONSUMER }, async () => {
      carried = activeTraceparent();
    });
    await inSpan('relay', { parent: contextOfTraceparent(carried) }, async () => {});
    const [job, relay] = exporter.getFinishedSpans();
    assert.match(carried ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(relay!.spanContext().traceId, job!.spanContext().traceId);
    assert.equal(relay!.parentSpanContext?.spanId, job!.spanContext().spanId);
    assert.equal(contextOfTraceparent(undefined), ROOT_CONTEXT);
  });

  it('gives log lines the ids of the active span, and nothing outside one', async () => {
    assert.deepEqual(traceLogFields(), {});
    await inSpan('request', {}, async (span) => {
      const { traceId, spanId } = span.spanContext();
      assert.deepEqual(traceLogFields(), { trace_id: traceId, span_id: spanId, trace_flags: '01' });
    });
  });

  it('wraps a decorated method in a span and keeps the metadata of other decorators', async () => {
    const mark = (_target: object, _key: string | symbol, d: PropertyDescriptor) =>
      Reflect.defineMetadata('marked', true, d.value as object);
    class Gateway {
      constructor(private readonly answer: number) {}
      @Traced('ws scan', SpanKind.SERVER)
      @mark
      async onScan(add: number): Promise<number> {
        return this.answer + add;
      }
    }
    assert.equal(await new Gateway(40).onScan(2), 42);
    assert.equal(Reflect.getMetadata('marked', Gateway.prototype.onScan), true);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span!.name, 'ws scan');
    assert.equal(span!.kind, SpanKind.SERVER);
  });
});
