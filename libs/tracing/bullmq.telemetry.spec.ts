import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { SpanKind } from 'bullmq';
import { bullmqTelemetry } from './bullmq.telemetry.js';
import { inMemoryTracing } from './in-memory-tracing.js';
import { inSpan } from './spans.js';

describe('bullmqTelemetry', () => {
  let exporter: InMemorySpanExporter;
  before(() => {
    exporter = inMemoryTracing();
  });
  beforeEach(() => exporter.reset());

  /** What BullMQ's trace() helper does with the telemetry it is given. */
  const traced = async (kind: SpanKind, work: () => Promise<void> = async () => {}) => {
    const telemetry = bullmqTelemetry(true)!;
    const span = telemetry.tracer.startSpan('op', { kind });
    await telemetry.contextManager.with(span.setSpanOnContext(context.active()), work);
    span.end();
  };

  it('is absent while tracing is off: BullMQ then runs without telemetry', () => {
    assert.equal(bullmqTelemetry(false), undefined);
  });

  it('leaves housekeeping outside a trace untraced, and everything under it', async () => {
    await traced(SpanKind.INTERNAL, async () => {
      // A Redis command of the polling loop, say.
      trace.getTracer('ioredis').startSpan('bzpopmin').end();
    });
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });

  it('traces producers, and internal operations within a trace', async () => {
    await inSpan('request', {}, async () => {
      await traced(SpanKind.PRODUCER);
      await traced(SpanKind.INTERNAL);
    });
    const names = exporter.getFinishedSpans().map((s) => s.name);
    assert.deepEqual(names.sort(), ['op', 'op', 'request']);
  });

  it('carries the producer context in the metadata the consumer starts from', async () => {
    const telemetry = bullmqTelemetry(true)!;
    let metadata = '';
    await inSpan('enqueue', {}, async () => {
      metadata = telemetry.contextManager.getMetadata(context.active());
    });
    const parent = telemetry.contextManager.fromMetadata(context.active(), metadata);
    telemetry.tracer.startSpan('process', { kind: SpanKind.CONSUMER }, parent).end();
    const [enqueue, consume] = exporter.getFinishedSpans();
    assert.equal(consume!.parentSpanContext?.spanId, enqueue!.spanContext().spanId);
  });
});
