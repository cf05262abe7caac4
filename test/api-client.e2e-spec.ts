// The generated client (#api-client) against the real api and worker: the example a new user runs
// (node dist/examples/scan-client.js) and the typed answers it relies on, errors included.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { createScannerClient } from '#api-client';
import { contractViolation } from './support/openapi-contract.js';
import { useStack } from './support/stack.js';

describe('the generated client and examples/scan-client', () => {
  const stack = useStack({
    api: true,
    worker: true,
    scans: true,
    keys: { scanner: 'read,scan' },
  });

  /** Runs the compiled example with the environment the README names; its exit code and output. */
  async function runExample(request: string): Promise<{ code: number; lines: string[] }> {
    const child = spawn(process.execPath, ['dist/examples/scan-client.js', request], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MARKET_SCANNER_URL: stack.api.url,
        MARKET_SCANNER_KEY: stack.keys.scanner,
        MARKET_SCANNER_TIMEOUT: '60',
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    return { code, lines: out.trim().split('\n') };
  }

  /** The hit lines after `completed`: `   1. AAPL    81.2  Strong Long  long entry …`. */
  const hitLines = (lines: string[]) =>
    lines.slice(lines.findIndex((line) => line.startsWith('completed')) + 1);

  it('creates a scan over REST, streams it over the WebSocket and prints the ranking', async () => {
    const { code, lines } = await runExample('{"maxSymbols":10,"minTechRating":1}');
    const output = lines.join('\n');
    assert.equal(code, 0, output);
    assert.match(lines[0]!, /^scan [0-9a-f-]{36} (queued|running)$/, output);
    // Subscribing answers at least the catch-up progress frame before completed.
    assert.ok(
      lines.some((line) => line.startsWith('progress')),
      output,
    );
    assert.equal(lines.filter((line) => line.startsWith('completed')).length, 1, output);
    const hits = hitLines(lines);
    assert.equal(hits.length, 10, output);
    hits.forEach((line, i) => assert.match(line, new RegExp(`^ +${i + 1}\\. [A-Z]`), output));
  });

  it('prints a cached answer at once, without opening the stream', async () => {
    const { code, lines } = await runExample('{"maxSymbols":10,"minTechRating":1}');
    const output = lines.join('\n');
    assert.equal(code, 0, output);
    assert.match(lines[0]!, /^scan [0-9a-f-]{36} completed \(cached\)$/, output);
    assert.ok(!lines.some((line) => line.startsWith('progress')), output);
    assert.equal(hitLines(lines).length, 10, output);
  });

  it('refuses to start without a key, saying which variable it needs', async () => {
    const child = spawn(process.execPath, ['dist/examples/scan-client.js'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MARKET_SCANNER_KEY: '' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(err, /MARKET_SCANNER_KEY/);
  });

  /** The client's fetch, with every answer held against docs/openapi.json as call() holds its own. */
  const checkedFetch = async (request: Request): Promise<Response> => {
    const response = await fetch(request);
    const violation = contractViolation({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.clone().text(),
    });
    assert.equal(violation, null);
    return response;
  };

  it('answers typed data on success and a typed problem on error', async () => {
    const api = createScannerClient({
      baseUrl: stack.api.url,
      apiKey: stack.keys.scanner,
      fetch: checkedFetch,
    });
    const meta = await api.GET('/v1/meta');
    assert.equal(meta.response.status, 200);
    assert.ok(meta.data && meta.data.sectors.length > 0, JSON.stringify(meta.error));

    const missing = await api.GET('/v1/scans/{id}', { params: { path: { id: randomUUID() } } });
    assert.equal(missing.response.status, 404);
    assert.match(missing.response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(missing.error?.status, 404);
    assert.equal(typeof missing.error?.title, 'string');

    const stranger = createScannerClient({
      baseUrl: stack.api.url,
      apiKey: 'msk_not_a_key',
      fetch: checkedFetch,
    });
    const refused = await stranger.GET('/v1/meta');
    assert.equal(refused.response.status, 401);
    assert.equal(refused.error?.status, 401);
  });
});
