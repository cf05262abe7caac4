import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Health, OpenApiDocument } from './support/api-types.js';
import { type RunningApp, waitFor } from './support/e2e.js';
import { type StopOutcome, stopWithin } from './support/fixtures.js';
import { call } from './support/http.js';
import { useStack } from './support/stack.js';

async function text(url: string): Promise<{ status: number; contentType: string; body: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: await res.text(),
  };
}

describe('health, metrics and docs', () => {
  const stack = useStack({ api: true, keys: { read: 'read' } });

  describe('health', () => {
    it('answers /health/live with 200 and status ok', async () => {
      const res = await stack.call<Health>('/health/live');
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
    });

    it('answers /health/ready with 200 and only up/down per dependency, no hosts or driver messages', async () => {
      const res = await stack.call<Health>('/health/ready');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok', checks: { database: 'up', redis: 'up' } });
      const raw = JSON.stringify(res.body);
      assert.doesNotMatch(raw, /127\.0\.0\.1|localhost|5432|6379|scanner/);
    });

    it('needs no API key for health', async () => {
      const res = await stack.call('/health/ready', { headers: { 'X-API-Key': 'garbage' } });
      assert.equal(res.status, 200);
    });
  });

  describe('metrics', () => {
    it('labels request durations by route template, never by the raw path', async () => {
      assert.equal((await stack.call('/v1/items/AAPL', { key: stack.keys.read })).status, 200);
      assert.equal((await stack.call('/v1/items/MSFT', { key: stack.keys.read })).status, 200);
      const metrics = await text(`${stack.api.url}/metrics`);
      assert.equal(metrics.status, 200);
      const count =
        /^http_request_duration_seconds_count\{[^}]*method="GET"[^}]*route="\/v1\/items\/:symbol"[^}]*status_class="2xx"[^}]*\} (\d+)/m.exec(
          metrics.body,
        );
      assert.ok(count, 'a count labelled with the route template');
      assert.ok(Number(count[1]) >= 2, `both requests counted: ${count[0]}`);
      assert.doesNotMatch(metrics.body, /route="\/v1\/items\/AAPL"/);
      assert.doesNotMatch(metrics.body, /route="\/v1\/items\/MSFT"/);
    });

    it('puts every unknown path under one "unmatched" route label', async () => {
      const path = `/no-such-path-${Date.now()}`;
      assert.equal((await stack.call(path)).status, 404);
      const metrics = await text(`${stack.api.url}/metrics`);
      assert.match(metrics.body, /route="unmatched"/);
      assert.ok(!metrics.body.includes(path), 'the raw unknown path must not become a label');
    });

    it("exports its readiness as health_ready 1 (what the hosts' alarms read)", async () => {
      await waitFor(
        async () =>
          /^health_ready\{[^}]*app="api"[^}]*\} 1$/m.test(
            (await text(`${stack.api.url}/metrics`)).body,
          ),
        15_000,
        'health_ready 1 on the api',
      );
    });

    it('exports the event-loop lag of the process', async () => {
      const metrics = await text(`${stack.api.url}/metrics`);
      assert.match(
        metrics.body,
        /^nodejs_eventloop_lag_seconds\{[^}]*app="api"[^}]*\} [0-9.e-]+$/m,
      );
    });
  });

  describe('docs', () => {
    it('serves the Swagger UI as HTML at /docs', async () => {
      const res = await text(`${stack.api.url}/docs`);
      assert.equal(res.status, 200);
      assert.match(res.contentType, /^text\/html/);
      assert.match(res.body, /<html/i);
    });

    it('serves an OpenAPI document at /docs-json with the items paths and the apiKey security scheme', async () => {
      const res = await stack.call<OpenApiDocument>('/docs-json');
      assert.equal(res.status, 200);
      assert.match(String(res.body.openapi), /^3\./);
      assert.ok(res.body.paths['/v1/items'], 'documents /v1/items');
      assert.ok(res.body.paths['/v1/items/{symbol}'], 'documents /v1/items/{symbol}');
      // The description explains the installation flow (docs/openapi.json); the scheme itself:
      const { description, ...apiKey } = res.body.components.securitySchemes.apiKey!;
      assert.deepEqual(apiKey, {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
      });
      assert.match(String(description), /POST \/v1\/installations/);
      const security = JSON.stringify(res.body.paths['/v1/items']!['get']!.security);
      assert.match(security, /apiKey/);
    });

    it('answers 404 on /docs and /docs-json when DOCS_ENABLED=false', async () => {
      await stack.withApp('api', { DOCS_ENABLED: 'false' }, async (noDocs) => {
        assert.equal((await text(`${noDocs.url}/docs`)).status, 404);
        assert.equal((await text(`${noDocs.url}/docs-json`)).status, 404);
        assert.equal((await text(`${noDocs.url}/health/live`)).status, 200);
      });
    });
  });

  describe('worker', () => {
    let worker: RunningApp;
    let exit: StopOutcome | undefined;

    before(async () => {
      worker = await stack.startApp('worker');
    });

    after(async () => {
      if (worker) await stopWithin(worker, 5000, 'SIGKILL');
    });

    it('serves readiness, metrics labelled worker and no API routes', async () => {
      const ready = await call<Health>(`${worker.url}/health/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ok', checks: { database: 'up', redis: 'up' } });
      const metrics = await text(`${worker.url}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /^nodejs_eventloop_lag_seconds\{[^}]*app="worker"/m);
      // The worker is no api: its 404 is not an answer of the documented GET /v1/items.
      assert.equal((await call(`${worker.url}/v1/items`, { contract: false })).status, 404);
    });

    it('publishes its readiness and the scan backlog (what the fleet scales worker hosts on)', async () => {
      let body = '';
      await waitFor(
        async () => {
          body = (await text(`${worker.url}/metrics`)).body;
          return (
            /^health_ready\{[^}]*app="worker"[^}]*\} 1$/m.test(body) &&
            /^scan_queue_backlog\{/m.test(body)
          );
        },
        15_000,
        'health_ready 1 and scan_queue_backlog on the worker',
      );
      assert.match(body, /^scan_queue_backlog\{[^}]*app="worker"[^}]*\} \d+$/m);
    });

    it('stops within 10 s of SIGTERM', async () => {
      exit = await stopWithin(worker, 10_000);
      assert.ok(exit.exited, `worker still running 10 s after SIGTERM\n${worker.output()}`);
    });

    it('exits with code 0 after SIGTERM', () => {
      assert.ok(exit, 'the previous test stopped the worker');
      assert.deepEqual(
        { code: exit.code, signal: exit.signal },
        { code: 0, signal: null },
        `after ${exit.ms} ms`,
      );
    });
  });
});
