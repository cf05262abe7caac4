import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { withClient } from '../support/databases.js';
import { testConfig, waitFor } from '../support/e2e.js';
import { flushRateLimits } from '../support/fixtures.js';
import {
  alive,
  API_PORTS,
  CA_FILE,
  ctl,
  ENV_FILE,
  getStream,
  HOST_DIR,
  hostDown,
  hostUp,
  HTTP_PORT,
  HTTPS_PORT,
  https,
  listeners,
  markedProcesses,
  moreAnswers,
  programs,
  run,
  sClient,
  servedSerial,
  WORKER_PORTS,
} from './support/host.js';

/**
 * The production topology on one host (DESIGN §7; RELIABILITY "Edge and processes", "WebSocket
 * behind Nginx"): `npm run host:up` — Supervisor (2 api + 2 worker processes) behind Nginx with TLS
 * on 8443 — probed only from outside, then `npm run host:down`.
 */
const WRITE_LIMIT = 5;
const WS_CONNECT_LIMIT = 10;
const ITEMS = '/v1/items?limit=5';

describe('the production topology on one host (npm run host:up)', () => {
  let key: string;
  let ca: Buffer;
  let brokenRelease: string | undefined;

  before(
    async () => {
      testConfig(); // refuses anything but a _test database
      ({ key, ca } = await hostUp({
        RATE_LIMIT_ITEMS_WRITE: String(WRITE_LIMIT),
        RATE_LIMIT_WS_CONNECT: String(WS_CONNECT_LIMIT),
        // The GET streams below measure failures, not the read budget or Nginx's per-address backstop.
        RATE_LIMIT_ITEMS_READ: '1000000',
        NGINX_RATE_PER_SECOND: '5000',
        NGINX_RATE_BURST: '10000',
      }));
      await flushRateLimits();
    },
    { timeout: 300_000 },
  );

  after(
    async () => {
      if (brokenRelease) rmSync(brokenRelease, { recursive: true, force: true });
      await hostDown();
      // The key host:up made in the test database (host:up makes another next time).
      await withClient(testConfig().databaseUrl, (c) =>
        c.query(`DELETE FROM api_keys WHERE name = 'host'`),
      );
    },
    { timeout: 240_000 },
  );

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
  });

  it('does not let a forged X-Forwarded-For escape the per-address WebSocket connect limit', async () => {
    await flushRateLimits();
    const statuses: number[] = [];
    for (let i = 0; i < WS_CONNECT_LIMIT + 5; i++) {
      // No key: each connect is counted per client address before the key check, then refused.
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

  it(
    'restarts an api process killed with SIGKILL (Supervisor autorestart) while GETs through Nginx never fail',
    { timeout: 60_000 },
    async (t) => {
      const before = (await programs()).get('api:api-1')!;
      assert.equal(before.state, 'RUNNING');
      const stream = getStream(ITEMS, { ca, key, concurrency: 4 });
      try {
        await moreAnswers(stream, 100);
        const killedAt = Date.now();
        process.kill(before.pid!, 'SIGKILL');
        let restartedMs = -1;
        await waitFor(
          async () => {
            const now = (await programs()).get('api:api-1');
            if (now?.state === 'RUNNING' && now.pid !== before.pid)
              restartedMs = Date.now() - killedAt;
            return restartedMs >= 0;
          },
          // A bound on "restarted at all", not a timing budget: under a loaded machine Node's start
          // alone can take seconds (4.2 s seen with other suites running). The figure is reported.
          30_000,
          'api:api-1 RUNNING again',
        );
        t.diagnostic(`api:api-1 RUNNING again ${restartedMs} ms after kill -9`);
        await waitFor(
          async () =>
            (await fetch(`http://127.0.0.1:${API_PORTS[0]}/health/ready`).catch(() => null))?.ok ===
            true,
          20_000,
          'api-1 ready',
        );
        await moreAnswers(stream, 200);
      } finally {
        const { ok, failures } = await stream.stop();
        t.diagnostic(`${ok} GETs through Nginx around the kill, ${failures.length} failed`);
        assert.deepEqual(failures, [], `${failures.length} failed of ${ok + failures.length}`);
      }
    },
  );

  it(
    'restarts every process one at a time (deploy.sh --restart) while GETs never fail',
    { timeout: 180_000 },
    async () => {
      const before = await programs();
      const stream = getStream(ITEMS, { ca, key, concurrency: 4 });
      let result;
      try {
        await moreAnswers(stream, 50);
        result = await run('bash', ['deploy/deploy.sh', '--restart'], { ENV_FILE }, 170_000);
        await moreAnswers(stream, 50);
      } finally {
        const { ok, failures } = await stream.stop();
        assert.deepEqual(failures, [], `${failures.length} failed of ${ok + failures.length}`);
      }
      assert.equal(result.code, 0, result.out);
      const after = await programs();
      for (const name of ['api:api-1', 'api:api-2', 'worker:worker-1', 'worker:worker-2']) {
        assert.equal(after.get(name)?.state, 'RUNNING', name);
        assert.notEqual(after.get(name)?.pid, before.get(name)?.pid, `${name} was restarted`);
      }
      // One at a time: api-2 restarted only after api-1 was ready again.
      const order = [...result.out.matchAll(/restarting (\S+)|(\S+) ready on port/g)].map((m) =>
        m[1] ? `restart ${m[1]}` : `ready ${m[2]}`,
      );
      assert.deepEqual(order, [
        'restart api:api-1',
        'ready api:api-1',
        'restart api:api-2',
        'ready api:api-2',
        'restart worker:worker-1',
        'ready worker:worker-1',
        'restart worker:worker-2',
        'ready worker:worker-2',
      ]);
    },
  );

  it(
    'rolls back a release whose api does not start, while GETs never fail',
    { timeout: 180_000 },
    async () => {
      const current = join(HOST_DIR, 'current');
      const good = readlinkSync(current);
      brokenRelease = join(HOST_DIR, 'releases', `broken-${Date.now()}`);
      for (const dir of ['dist/apps/api', 'dist/apps/worker', 'dist/src'])
        mkdirSync(join(brokenRelease, dir), { recursive: true });
      writeFileSync(
        join(brokenRelease, 'dist/apps/api/main.js'),
        "process.stderr.write('this release cannot start\\n');\nprocess.exit(1);\n",
      );
      writeFileSync(join(brokenRelease, 'dist/apps/worker/main.js'), 'process.exit(1);\n');
      writeFileSync(join(brokenRelease, 'dist/src/cli.js'), 'process.exit(0);\n');

      const stream = getStream(ITEMS, { ca, key, concurrency: 4 });
      let result;
      try {
        await moreAnswers(stream, 50);
        result = await run(
          'bash',
          ['deploy/deploy.sh', '--release', brokenRelease],
          { ENV_FILE },
          170_000,
        );
        await moreAnswers(stream, 50);
      } finally {
        const { ok, failures } = await stream.stop();
        assert.deepEqual(failures, [], `${failures.length} failed of ${ok + failures.length}`);
      }
      assert.equal(result.code, 1, result.out);
      assert.match(result.out, /rolled back/);
      assert.equal(readlinkSync(current), good, 'current points at the good release again');
      assert.equal(resolve(readlinkSync(current)), resolve('.'));
      const now = await programs();
      for (const name of ['api:api-1', 'api:api-2', 'worker:worker-1', 'worker:worker-2'])
        assert.equal(now.get(name)?.state, 'RUNNING', name);
      assert.equal((await https('/health/ready', { ca })).status, 200);
    },
  );

  it(
    'serves a renewed certificate as soon as the certbot deploy hook has reloaded Nginx',
    { timeout: 60_000 },
    async () => {
      const before = await servedSerial();
      const renew = await run('sh', [
        'deploy/tls/self-signed.sh',
        '--force',
        join(HOST_DIR, 'tls'),
        'localhost',
        '127.0.0.1',
        '::1',
      ]);
      assert.equal(renew.code, 0, renew.out);
      const onDisk = (
        await run('openssl', ['x509', '-noout', '-serial', '-in', join(HOST_DIR, 'tls/server.pem')])
      ).out.trim();
      assert.notEqual(onDisk, before);
      assert.equal(
        await servedSerial(),
        before,
        'Nginx keeps the old certificate until it is reloaded',
      );
      const env = Object.fromEntries(
        readFileSync(ENV_FILE, 'utf8')
          .split('\n')
          .filter((l) => /^NGINX_(CONF|PREFIX)=/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 2, -1)]),
      );
      const hook = await run('sh', ['deploy/tls/reload-nginx.sh'], {
        ...env,
        RENEWED_LINEAGE: join(HOST_DIR, 'tls'),
      });
      assert.equal(hook.code, 0, hook.out);
      await waitFor(
        async () => (await servedSerial()) === onDisk,
        15_000,
        'the renewed certificate to be served',
      );
      assert.equal(
        (await https('/health/ready', { ca })).status,
        200,
        'the new certificate chains to the same CA',
      );
    },
  );

  it(
    'scales workers up and down (ctl.sh scale) without touching the api processes',
    { timeout: 120_000 },
    async () => {
      const before = await programs();
      const up = await ctl('scale', 'worker', '3');
      assert.equal(up.code, 0, up.out);
      let now = await programs();
      assert.deepEqual(
        [...now.keys()].filter((n) => n.startsWith('worker:')),
        ['worker:worker-1', 'worker:worker-2', 'worker:worker-3'],
      );
      for (const [name, p] of now)
        if (name.startsWith('worker:')) assert.equal(p.state, 'RUNNING', name);
      await waitFor(
        async () =>
          (await fetch('http://127.0.0.1:3103/health/ready').catch(() => null))?.ok === true,
        30_000,
        'worker-3 ready on 3103',
      );
      for (const name of ['api:api-1', 'api:api-2'])
        assert.equal(now.get(name)?.pid, before.get(name)?.pid, `${name} untouched`);

      const down = await ctl('scale', 'worker', '2');
      assert.equal(down.code, 0, down.out);
      now = await programs();
      assert.deepEqual(
        [...now.keys()].filter((n) => n.startsWith('worker:')),
        ['worker:worker-1', 'worker:worker-2'],
      );
      for (const name of ['api:api-1', 'api:api-2'])
        assert.equal(now.get(name)?.pid, before.get(name)?.pid, `${name} untouched`);
    },
  );

  it(
    'host:down stops Nginx, Supervisor and every app process, and frees the ports',
    { timeout: 240_000 },
    async () => {
      const pids = [...(await programs()).values()]
        .map((p) => p.pid)
        .filter((p): p is number => p !== null);
      const nginxMaster = Number(readFileSync(join(HOST_DIR, 'nginx/nginx.pid'), 'utf8'));
      const supervisord = Number(readFileSync(join(HOST_DIR, 'run/supervisord.pid'), 'utf8'));
      assert.ok(pids.length >= 4 && alive(nginxMaster) && alive(supervisord));
      // supervisord, 4 programs, the nginx master and its 2 workers.
      const marked = markedProcesses();
      assert.ok(marked.length >= 8, `marked processes: ${marked.join(' ')}`);

      const down = await hostDown();
      assert.equal(down.code, 0, down.out);
      for (const pid of [...pids, nginxMaster, supervisord, ...marked])
        assert.equal(alive(pid), false, `pid ${pid} still alive`);
      assert.deepEqual(markedProcesses(), []);
      const open = listeners();
      for (const port of [HTTP_PORT, HTTPS_PORT, ...API_PORTS, ...WORKER_PORTS])
        assert.equal(open.has(port), false, `port ${port} still listening`);
    },
  );
});
