import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { bullConnection, QUEUES } from '#jobs';
import type { Scan } from './support/api-types.js';
import { testConfig, waitFor } from './support/e2e.js';
import { call } from './support/http.js';
import { OTLP_KIND, OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { useStack } from './support/stack.js';
import { openSocket } from './support/ws.js';

const API = 'market-scanner-api';
const WORKER = 'market-scanner-worker';

/** The JSON lines of a process's output (pino), skipping anything else. */
const logLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const isDatabase = (s: ReceivedSpan, system: string) =>
  s.kind === OTLP_KIND.client &&
  (s.attributes['db.system.name'] ?? s.attributes['db.system']) === system;

/** The log line of one HTTP request (pino-http's, written once the response is sent). */
async function requestLine(output: () => string, requestId: string | null) {
  const find = () =>
    logLines(output()).find((l) => (l['req'] as { id?: string } | undefined)?.id === requestId);
  await waitFor(() => find() !== undefined, 5000, `the log line of request ${requestId}`);
  return find()!;
}

/**
 * `a` is not before `b`, give or take the millisecond OpenTelemetry's SDK allows: it anchors each
 * span's start on Date.now() (whole milliseconds) and adds the monotonic clock's duration, so of
 * two spans one after the other the second may appear to start up to 1 ms before the first ends.
 */
const CLOCK_GRAIN_NS = 1_000_000n;
const notBefore = (a: bigint, b: bigint) => a + CLOCK_GRAIN_NS >= b;

/** Parent links of one trace, to check who is under whom. */
function family(spans: ReceivedSpan[]) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const isUnder = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
    for (let p = byId.get(span.parentSpanId); p; p = byId.get(p.parentSpanId))
      if (p.spanId === ancestor.spanId) return true;
    return false;
  };
  return { isUnder };
}

describe('OpenTelemetry traces across the api and the worker', () => {
  const receiver = new OtlpReceiver();
  before(() => receiver.start());
  // What an operator sets (docs/operations.md), pointed at the receiver; spans leave every 100 ms.
  const traced = () => ({
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'info',
  });
  const stack = useStack({ api: traced, worker: traced, scans: true, keys: { key: 'read,scan' } });
  after(() => receiver.stop());

  it('makes one trace of a scan started over the WebSocket: frame, enqueue, job, stages, database, relay', async () => {
    // The completed frame is relayed only to a socket still waiting for it: a scan that finished
    // before the gateway's state check was answered by that check, with nothing to relay. The
    // queue is held until the check has surely read the scan as queued, so the relay is what runs.
    const queue = new Queue(QUEUES.scan, {
      connection: bullConnection(testConfig().redisUrl, 'producer'),
    });
    const ws = await openSocket(stack.wsUrl, stack.keys.key);
    try {
      await queue.pause();
      ws.send({ type: 'scan', request: { maxSymbols: 9, minTechRating: 3 } });
      await ws.until((f) => f.some((x) => x.type === 'accepted'), 15_000, 'the accepted frame');
      await sleep(500);
    } finally {
      await queue.resume();
      await queue.close();
    }
    await ws.until((f) => f.some((x) => x.type === 'completed'), 60_000, 'the completed frame');
    ws.socket.close();
    const scanId = ws.of('completed')[0]!.scan.id;

    const frameSpan = () =>
      receiver.spans.find((s) => s.kind === OTLP_KIND.server && s.attributes['scan.id'] === scanId);
    const relayOf = (traceId: string) =>
      receiver.trace(traceId).find((s) => s.kind === OTLP_KIND.consumer && s.service === API);
    await waitFor(
      () => {
        const frame = frameSpan();
        return frame !== undefined && relayOf(frame.traceId) !== undefined;
      },
      15_000,
      'the frame span and the relay span',
    );
    const frame = frameSpan()!;
    const spans = receiver.trace(frame.traceId);
    const { isUnder } = family(spans);
    const names = () => spans.map((s) => `${s.service} ${s.kind} ${s.name}`).join('\n');

    assert.equal(frame.service, API);
    assert.equal(frame.parentSpanId, '', 'a frame starts a trace of its own');
    assert.deepEqual(new Set(spans.map((s) => s.service)), new Set([API, WORKER]));

    const producers = spans.filter((s) => s.kind === OTLP_KIND.producer);
    assert.equal(producers.length, 1, names());
    const enqueue = producers[0]!;
    assert.equal(enqueue.service, API);
    assert.ok(isUnder(enqueue, frame), 'the enqueue is part of the frame');

    const job = spans.find((s) => s.kind === OTLP_KIND.consumer && s.service === WORKER);
    assert.ok(job, names());
    assert.equal(job.parentSpanId, enqueue.spanId, 'the job continues the enqueue');
    assert.equal(job.attributes['scan.id'], scanId);

    const stages = spans
      .filter((s) => s.attributes['scan.stage'] !== undefined)
      .sort((a, b) => Number(a.start - b.start));
    assert.deepEqual(
      stages.map((s) => s.attributes['scan.stage']),
      ['loading', 'fetching', 'scanning', 'finalizing'],
    );
    for (const stage of stages) {
      assert.equal(stage.kind, OTLP_KIND.internal);
      assert.equal(stage.service, WORKER);
      assert.equal(stage.parentSpanId, job.spanId, 'stages are children of the job');
      assert.ok(
        notBefore(stage.start, job.start) && notBefore(job.end, stage.end),
        'within the job',
      );
    }
    for (let i = 1; i < stages.length; i++)
      assert.ok(notBefore(stages[i]!.start, stages[i - 1]!.end), 'one stage after the other');
    const finalizing = stages[3]!;

    // The database: the result write inside finalizing, the scan run's insert inside the frame.
    assert.ok(
      spans.some((s) => isDatabase(s, 'postgresql') && s.parentSpanId === finalizing.spanId),
      `no PostgreSQL span under finalizing\n${names()}`,
    );
    assert.ok(spans.some((s) => isDatabase(s, 'postgresql') && isUnder(s, frame)));
    // Redis: the job's progress reports, and the api's enqueue.
    assert.ok(spans.some((s) => isDatabase(s, 'redis') && s.service === WORKER && isUnder(s, job)));
    assert.ok(spans.some((s) => isDatabase(s, 'redis') && isUnder(s, enqueue)));

    const relay = relayOf(frame.traceId)!;
    assert.equal(relay.parentSpanId, job.spanId, 'the relay continues the job');
    assert.equal(relay.attributes['scan.id'], scanId);
    assert.ok(
      notBefore(relay.start, finalizing.end),
      'the completed frame is relayed after the write',
    );

    // The same trace id in the api's and the worker's log lines of this scan.
    const accepted = logLines(stack.api.output()).find(
      (l) => l['msg'] === 'WebSocket scan accepted' && l['scanId'] === scanId,
    );
    assert.equal(accepted?.['trace_id'], frame.traceId);
    assert.equal(accepted?.['span_id'], frame.spanId);
    const completed = logLines(stack.worker.output()).find(
      (l) => l['msg'] === 'scan completed' && l['scanRunId'] === scanId,
    );
    assert.equal(completed?.['trace_id'], frame.traceId);
    assert.equal(completed?.['span_id'], job.spanId);
  });

  it("honours an HTTP request's traceparent and answers its trace in traceresponse", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const res = await stack.call<Scan>('/v1/scans?wait=30', {
      method: 'POST',
      key: stack.keys.key,
      json: { maxSymbols: 4, minTechRating: 5 },
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    assert.equal(res.body.status, 'completed', JSON.stringify(res.body));
    const answered = res.headers.get('traceresponse') ?? '';
    assert.match(answered, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const serverSpanId = answered.split('-')[2]!;

    const find = () => receiver.trace(traceId);
    await waitFor(
      () =>
        find().some((s) => s.spanId === serverSpanId) && find().some((s) => s.service === WORKER),
      15_000,
      'the request span and the worker spans',
    );
    const spans = find();
    const server = spans.find((s) => s.spanId === serverSpanId)!;
    assert.equal(server.kind, OTLP_KIND.server);
    assert.equal(server.parentSpanId, callerSpan, "the caller's span is the parent");
    assert.equal(server.attributes['http.route'], '/v1/scans');
    assert.equal(server.attributes['http.request.method'], 'POST');
    assert.equal(server.attributes['http.response.status_code'], 200);
    const job = spans.find((s) => s.kind === OTLP_KIND.consumer && s.service === WORKER);
    assert.ok(job && family(spans).isUnder(job, server), 'the job is part of the request');

    const line = await requestLine(stack.api.output, res.headers.get('x-request-id'));
    assert.equal(line['trace_id'], traceId);
    assert.equal(line['span_id'], serverSpanId);

    // The latency histogram's bucket of this request points at its trace (an exemplar).
    const metrics = await fetch(`${stack.api.url}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    const bucket = (await metrics.text())
      .split('\n')
      .find((l) => l.includes('route="/v1/scans"') && l.includes(`trace_id="${traceId}"`));
    assert.ok(bucket?.startsWith('http_request_duration_seconds_bucket{'), 'an exemplar');
    assert.ok(bucket!.includes(`span_id="${serverSpanId}"`));
  });

  it('with tracing off, answers no traceresponse, logs no trace ids and exports nothing', async () => {
    const untraced = 'market-scanner-untraced';
    await stack.withApp(
      'api',
      {
        // `none` wins over an endpoint that is set.
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_SERVICE_NAME: untraced,
        LOG_LEVEL: 'info',
      },
      async (api) => {
        const res = await call(`${api.url}/v1/items?limit=1`, {
          key: stack.keys.key,
          headers: { traceparent: `00-${randomBytes(16).toString('hex')}-${'1'.repeat(16)}-01` },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('traceresponse'), null);
        const line = await requestLine(api.output, res.headers.get('x-request-id'));
        assert.equal(line['trace_id'], undefined);
      },
    );
    // Stopped by now: whatever it had buffered would have been exported on the way out.
    assert.equal(receiver.spans.filter((s) => s.service === untraced).length, 0);
    assert.deepEqual(receiver.refused, []);
  });

  it('exports in the protobuf encoding when OTEL_EXPORTER_OTLP_PROTOCOL says http/protobuf', async () => {
    await stack.withApp(
      'api',
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      async (api) => {
        // No exporter named: an endpoint alone turns tracing on, with the spec's default (otlp).
        const res = await call(`${api.url}/v1/items?limit=1`, { key: stack.keys.key });
        assert.match(res.headers.get('traceresponse') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        await waitFor(() => receiver.protobufExports > 0, 10_000, 'a protobuf export');
      },
    );
  });
});
