import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { waitFor } from '../support/e2e.js';
import { flushRateLimits } from '../support/fixtures.js';
import {
  API_PORTS,
  CA_FILE,
  HOST_DIR,
  HTTP_PORT,
  HTTPS_PORT,
  https,
  listeners,
  run,
  sClient,
  WORKER_PORTS,
} from './support/host.js';
import { ITEMS, useHost, WRITE_LIMIT, WS_CONNECT_LIMIT } from './support/topology.js';

/**
 * The edge of the production topology on one host (DESIGN §7; RELIABILITY "Edge and processes",
 * "WebSocket behind Nginx"): `npm run host:up` — Supervisor (2 api + 2 worker processes) behind
 * Nginx with TLS on 8443 — probed only from outside: redirects, TLS, HSTS, gzip, /metrics, wss://
 * and the per-address limits. Processes and operations: host-operations.ops-spec.ts.
 */
describe('the production topology on one host (npm run host:up)', () => {
  const host = useHost();
  let key: string;
  let ca: Buffer;
  before(() => {
    ({ key, ca } = host);
  });

  const hsts = (res: { headers: Record<string, unknown> }) => {
    const value = String(res.headers['strict-transport-security'] ?? '');
    assert.match(value, /includeSubDomains/, `HSTS missing: ${JSON.stringify(res.headers)}`);
    assert.ok(Number(/max-age=(\d+)/.exec(value)?.[1]) >= 31_536_000, value);
  };

  it('answers plain HTTP with a 301 to the same URL over HTTPS', async () => {
    const res = await new Promise<{ status: number; location: string }>((done, fail) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: HTTP_PORT,
          path: '/v1/items?sector=technology',
          headers: { Host: `localhost:${HTTP_PORT}` },
        },
        (r) => {
          r.resume();
          done({ status: r.statusCode ?? 0, location: String(r.headers.location) });
        },
      );
      req.on('error', fail);
      req.end();
    });
    assert.equal(res.status, 301);
    assert.equal(res.location, `https://localhost:${HTTPS_PORT}/v1/items?sector=technology`);
  });

  it('refuses TLS 1.0 and 1.1 and accepts TLS 1.2 and 1.3 with ECDHE AEAD ciphers only', async () => {
    for (const old of ['-tls1', '-tls1_1']) {
      // SECLEVEL=0 lets OpenSSL 3 offer the old protocol at all: the refusal must come from Nginx.
      const res = await sClient([old, '-cipher', 'DEFAULT:@SECLEVEL=0']);
      assert.notEqual(res.code, 0, res.out);
      assert.match(res.out, /alert protocol version|unsupported protocol/i, res.out);
      assert.doesNotMatch(
        res.out,
        /no protocols available/,
        'the client never offered the protocol',
      );
    }
    const tls12 = await sClient(['-tls1_2']);
    assert.equal(tls12.code, 0, tls12.out);
    assert.match(tls12.out, /Protocol\s*:\s*TLSv1\.2/);
    assert.match(tls12.out, /Cipher is ECDHE-(ECDSA|RSA)-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)/);
    assert.match(tls12.out, /Verify return code: 0 \(ok\)/);
    const tls13 = await sClient(['-tls1_3']);
    assert.equal(tls13.code, 0, tls13.out);
    assert.match(tls13.out, /TLSv1\.3/);
    for (const weak of [
      'AES128-GCM-SHA256',
      'DHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES128-SHA',
    ]) {
      const res = await sClient(['-tls1_2', '-cipher', weak]);
      assert.notEqual(res.code, 0, `${weak} was accepted:\n${res.out}`);
    }
  });

  it('sends HSTS on every HTTPS response: 200, 401, 403, 404, 413 and 429', async () => {
    const ok = await https('/health/ready', { ca });
    assert.equal(ok.status, 200, ok.body);
    hsts(ok);
    const unauthorized = await https(ITEMS, { ca });
    assert.equal(unauthorized.status, 401);
    hsts(unauthorized);
    const notFound = await https('/v1/items/NOPE', { ca, headers: { 'X-API-Key': key } });
    assert.equal(notFound.status, 404);
    hsts(notFound);
    const forbidden = await https('/metrics', { ca });
    assert.equal(forbidden.status, 403);
    hsts(forbidden);
    const tooLarge = await https('/v1/items', {
      ca,
      method: 'POST',
      headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.headers['content-type'], 'application/problem+json');
    hsts(tooLarge);
    // Writes share a budget of WRITE_LIMIT per key (counted before validation): the next one is 429.
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof https>> | undefined;
    for (let i = 0; i <= WRITE_LIMIT; i++) {
      const res = await https('/v1/items', {
        ca,
        method: 'POST',
        headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
        body: '{}',
      });
      statuses.push(res.status);
      hsts(res);
      limited = res;
    }
    assert.deepEqual(statuses, [...Array(WRITE_LIMIT).fill(400), 429]);
    assert.match(String(limited!.headers['retry-after']), /^\d+$/);
  });

  it('gzips JSON for clients that accept it', async () => {
    const res = await new Promise<{ encoding: string; body: Buffer }>((done, fail) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: HTTPS_PORT,
          path: '/v1/items?limit=50',
          ca,
          headers: { 'X-API-Key': key, 'Accept-Encoding': 'gzip' },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (d: Buffer) => chunks.push(d));
          r.on('end', () =>
            done({ encoding: String(r.headers['content-encoding']), body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', fail);
      req.end();
    });
    assert.equal(res.encoding, 'gzip');
    assert.equal(JSON.parse(gunzipSync(res.body).toString()).data.length, 50);
  });

  it('denies /metrics through Nginx (however spelled) while every process serves it on loopback only', async () => {
    for (const path of [
      '/metrics',
      '/%6Detrics',
      '/metrics?format=text',
      '/metrics/',
      '//metrics',
    ]) {
      const res = await https(path, { ca });
      assert.equal(res.status, 403, `${path} → ${res.status}`);
      assert.doesNotMatch(res.body, /http_request_duration_seconds/);
    }
    for (const port of [...API_PORTS, ...WORKER_PORTS]) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /process_cpu_seconds_total/, `port ${port}`);
      assert.deepEqual(
        listeners().get(port),
        ['0100007F'],
        `port ${port} must listen on 127.0.0.1 only`,
      );
    }
  });

  it('streams a full scan over wss:// through Nginx: accepted, progress, exactly one completed', async () => {
    const socket = new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws`, {
      headers: { 'X-API-Key': key },
      ca,
    });
    const frames: Record<string, any>[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, any>));
    await once(socket, 'open');
    // A request no earlier run made, so the scan really runs instead of coming from the cache.
    socket.send(
      JSON.stringify({
        type: 'scan',
        request: { maxSymbols: 20, minTechRating: 1, accountSize: 10_000 + (Date.now() % 100_000) },
      }),
    );
    await waitFor(
      () => frames.some((f) => f['type'] === 'completed' || f['type'] === 'failed'),
      30_000,
      'a terminal frame',
    );
    socket.close();
    assert.equal(frames[0]!['type'], 'accepted');
    assert.equal(frames[0]!['scan'].cached, false);
    assert.ok(
      frames.filter((f) => f['type'] === 'progress').length >= 3,
      JSON.stringify(frames.map((f) => f['type'])),
    );
    const terminal = frames.filter((f) => f['type'] === 'completed' || f['type'] === 'failed');
    assert.deepEqual(
      terminal.map((f) => f['type']),
      ['completed'],
    );
    assert.equal(terminal[0]!['scan'].result.results.length, 20);
    // It went through the proxy: Nginx logs the upgrade (101) once the socket has closed.
    await waitFor(
      () =>
        /"uri":"\/v1\/ws","status":101/.test(
          readFileSync(join(HOST_DIR, 'nginx/logs/access.log'), 'utf8'),
        ),
      10_000,
      'the 101 of the upgrade in the Nginx access log',
    );

    const client = await run(process.execPath, [
      'dist/examples/ws-client.js',
      '--url',
      `wss://localhost:${HTTPS_PORT}/v1/ws`,
      '--ca',
      CA_FILE,
      '--key',
      key,
      '--request',
      '{"maxSymbols":10,"minTechRating":2}',
    ]);
    assert.equal(client.code, 0, client.out);
    assert.match(client.out, /^completed /m);

    const refused = new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws`, {
      headers: { 'X-API-Key': 'msk_bogus' },
      ca,
    });
    refused.on('error', () => {});
    const [, res] = (await once(refused, 'unexpected-response')) as [
      unknown,
      { statusCode: number },
    ];
    refused.terminate();
    assert.equal(res.statusCode, 401);

    // A browser's ?apiKey=, its name percent-encoded as the app accepts it, on the WebSocket route
    // and on another route: the access log keeps neither the key nor the query.
    const encoded = new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws?%61piKey=${key}`, { ca });
    await once(encoded, 'open');
    encoded.close();
    await once(encoded, 'close');
    await https(`/v1/items?limit=1&API%4Bey=${key}`, { ca, headers: { 'X-API-Key': key } });
    const secret = key.slice(13);
    await waitFor(
      () =>
        /"uri":"\/v1\/items\?\[redacted\]"/.test(
          readFileSync(join(HOST_DIR, 'nginx/logs/access.log'), 'utf8'),
        ),
      10_000,
      'the redacted items request in the Nginx access log',
    );
    const accessLog = readFileSync(join(HOST_DIR, 'nginx/logs/access.log'), 'utf8');
    assert.ok(!accessLog.includes(secret), 'an encoded ?apiKey= reached the Nginx access log');
  });

  it('does not let a forged X-Forwarded-For escape the per-address WebSocket connect limit', async () => {
    await flushRateLimits();
    const statuses: number[] = [];
    for (let i = 0; i < WS_CONNECT_LIMIT + 5; i++) {
      // No key: each refused upgrade spends its client address's budget, then 429.
      const socket = new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws`, {
        headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` },
        ca,
      });
      socket.on('error', () => {});
      const [, res] = (await once(socket, 'unexpected-response')) as [
        unknown,
        { statusCode: number },
      ];
      socket.terminate();
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [...Array(WS_CONNECT_LIMIT).fill(401), ...Array(5).fill(429)]);
    await flushRateLimits();
  });
});
