import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROUTE_BODY_LIMIT_BYTES } from '../../apps/api/http/body-limits.js';
import { useStack } from '../support/stack.js';

const PROCESS_LIMIT = 1024 * 1024;

/** Body routes with the key that may use them and their limit (batch prediction: the process's). */
const ROUTES = [
  { method: 'POST', path: '/v1/scans', key: 'scan', limit: ROUTE_BODY_LIMIT_BYTES },
  { method: 'POST', path: '/v1/predict', key: 'predict', limit: ROUTE_BODY_LIMIT_BYTES },
  { method: 'POST', path: '/v1/predict/batch', key: 'predict', limit: PROCESS_LIMIT },
  { method: 'POST', path: '/v1/items', key: 'admin', limit: ROUTE_BODY_LIMIT_BYTES },
  { method: 'PATCH', path: '/v1/items/AAPL', key: 'admin', limit: ROUTE_BODY_LIMIT_BYTES },
] as const;

/** JSON texts of about `bytes` bytes, each shaped to cost a validator as much as it can. */
const SHAPES: Record<string, (bytes: number) => string> = {
  'many unknown keys': (n) =>
    `{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${i}":0`).join(',')}}`,
  'many invalid items': (n) =>
    `{"texts":[${Array(Math.floor(n / 2))
      .fill('1')
      .join(',')}]}`,
  'wide array of strings': (n) =>
    `{"texts":[${Array(Math.floor(n / 4))
      .fill('"x"')
      .join(',')}]}`,
  'one long string': (n) => `{"text":"${'x'.repeat(n - 12)}"}`,
  'deep nesting': (n) => `{"text":${'['.repeat(n / 2 - 10)}${']'.repeat(n / 2 - 10)}}`,
  'many invalid fields': (n) =>
    `{${Array.from({ length: Math.min(64, n / 30) }, (_, i) => `"maxSymbols${i}":"many"`).join(',')}}`,
  'nested unknown keys': (n) =>
    `{"symbols":[{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${i}":0`).join(',')}}]}`,
};

/** Seconds of the api's longest event-loop block since the previous read (prom-client resets it). */
async function eventLoopMax(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/**
 * Issue 13: "no request a client can build holds the event loop more than a few milliseconds".
 * Generated bodies up to each route's limit, shaped to be expensive, one at a time, while a probe
 * polls /health/live of the same process; the api's own event-loop monitor gives the longest block.
 */
describe('fuzz: expensive bodies', () => {
  const stack = useStack({
    api: {
      RATE_LIMIT_PREDICT: '1000000',
      RATE_LIMIT_SCANS_CREATE: '1000000',
      RATE_LIMIT_ITEMS_WRITE: '1000000',
    },
    keys: { scan: 'read,scan', predict: 'read,predict', admin: 'admin' },
  });

  it('answers each within 500 ms with a 4xx, and no body blocks the event loop 100 ms', async (t) => {
    const answers: { label: string; status: number; ms: number }[] = [];
    let healthMax = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        await fetch(`${stack.api.url}/health/live`);
        healthMax = Math.max(healthMax, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await eventLoopMax(stack.api.url);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          fc.constantFrom(...Object.keys(SHAPES)),
          fc.double({ min: 0.5, max: 0.98, noNaN: true }),
          async (route, shape, fill) => {
            const body = SHAPES[shape]!(Math.floor(route.limit * fill));
            const started = performance.now();
            const res = await fetch(`${stack.api.url}${route.path}`, {
              method: route.method,
              headers: { 'Content-Type': 'application/json', 'X-API-Key': stack.keys[route.key] },
              body,
            });
            const text = await res.text();
            const ms = performance.now() - started;
            answers.push({
              label: `${route.method} ${route.path} ${shape}`,
              status: res.status,
              ms,
            });
            assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${text.slice(0, 200)}`);
            assert.ok(text.length < 16 * 1024, `an answer of ${text.length} bytes`);
            assert.ok(ms < 500, `${route.path} ${shape}: ${ms.toFixed(0)} ms`);
          },
        ),
        { numRuns: 60, seed: 13 },
      );
    } finally {
      probing = false;
      await probe;
    }
    const blocked = await eventLoopMax(stack.api.url);
    const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a));
    t.diagnostic(
      `expensive bodies: ${answers.length} answered, slowest ${slowest.ms.toFixed(1)} ms (${slowest.label}), ` +
        `/health/live max ${healthMax.toFixed(1)} ms, event loop blocked at most ${(blocked * 1000).toFixed(1)} ms`,
    );
    assert.ok(blocked < 0.1, `the event loop was blocked ${(blocked * 1000).toFixed(0)} ms`);
  });
});
