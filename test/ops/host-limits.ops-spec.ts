import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type TLSSocket } from 'node:tls';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { EDGE_LIMITS } from '../../deploy/nginx/render.mjs';
import { waitFor } from '../support/e2e.js';
import { flushRateLimits } from '../support/fixtures.js';
import { attemptSocket } from '../support/ws.js';
import { HTTPS_PORT, https, type Reply } from './support/host.js';
import { useHost, WS_CONNECT_LIMIT } from './support/topology.js';

const SOCKETS = 4;

/** Nginx's own 429: problem+json with HSTS and an integer Retry-After, naming what was exceeded. */
function assertNginx429(res: Reply, detail: RegExp): void {
  assert.equal(res.status, 429, res.body);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.match(String(res.headers['retry-after']), /^\d+$/);
  assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
  const body = JSON.parse(res.body) as { status: number; detail: string };
  assert.equal(body.status, 429);
  assert.match(body.detail, detail);
}

/**
 * A request Nginx holds open: a POST whose head announces a body that never comes. Nginx counts
 * the connection from the moment it has read the head until the socket closes; `answer` is whatever
 * Nginx wrote back (nothing, unless it refused the request).
 */
async function heldRequest(ca: Buffer): Promise<{ socket: TLSSocket; answer: () => string }> {
  const socket = connect({ host: '127.0.0.1', port: HTTPS_PORT, servername: 'localhost', ca });
  let answer = '';
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  await once(socket, 'secureConnect');
  socket.write(
    'POST /v1/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n',
  );
  return { socket, answer: () => answer };
}

/**
 * A WebSocket through Nginx: open, or the status it was refused with. To 127.0.0.1 like every other
 * connection here (the certificate names it): "localhost" may connect over ::1, another address
 * with a budget of its own.
 */
const upgrade = (ca: Buffer, key: string) =>
  attemptSocket(`wss://127.0.0.1:${HTTPS_PORT}/v1/ws`, { headers: { 'X-API-Key': key }, ca });

/**
 * Nginx's per-address limits of the production site (`EDGE_LIMITS` of deploy/nginx/render.mjs, not
 * raised here): /health/ready's own request rate and the connections one address may hold at once.
 */
describe('the per-address limits at the edge (npm run host:up)', () => {
  const host = useHost();

  it('answers a burst on /health/ready with 429 past the documented burst, however spelled, while /health/live is never limited', async (t) => {
    const { readyRatePerSecond: rate, readyBurst: burst } = EDGE_LIMITS;
    // Nginx matches the decoded path: an escaped letter or a query does not make another location.
    const spellings = ['/health/ready', '/health/%72eady', '/health/ready?probe=1'];
    const started = Date.now();
    const burstAnswers = await Promise.all(
      Array.from({ length: 80 }, (_, i) => https(spellings[i % spellings.length]!, host)),
    );
    const elapsed = (Date.now() - started) / 1000;
    const live = await Promise.all(Array.from({ length: 80 }, () => https('/health/live', host)));

    const served = burstAnswers.filter((r) => r.status === 200).length;
    const limited = burstAnswers.filter((r) => r.status === 429);
    assert.equal(served + limited.length, 80, burstAnswers.map((r) => r.status).join(','));
    // 1 + burst at once, then one more per 1/rate s while the burst was arriving.
    assert.ok(served >= burst + 1, `${served} served`);
    assert.ok(served <= burst + 1 + Math.ceil(rate * elapsed) + 1, `${served} in ${elapsed} s`);
    for (const res of limited) assertNginx429(res, /Too many requests from this address/);
    assert.deepEqual([...new Set(live.map((r) => r.status))], [200], '/health/live');

    const limitedAt = Date.now();
    await waitFor(async () => (await https('/health/ready', host)).status === 200, 5_000, 'ready');
    const line = `80 concurrent GET /health/ready (3 spellings) in ${elapsed.toFixed(2)} s: ${served} × 200, ${limited.length} × 429 problem+json; 80 × /health/live 200; ready served again ${Date.now() - limitedAt} ms later`;
    t.diagnostic(line);
  });

  it('refuses a connection past the per-address limit (open WebSockets count) and serves again once one closes', async (t) => {
    const limit = EDGE_LIMITS.connectionsPerAddress;
    assert.ok(SOCKETS < WS_CONNECT_LIMIT, 'the sockets stay within the app’s connect budget');
    await flushRateLimits();
    const sockets: WebSocket[] = [];
    const held: Awaited<ReturnType<typeof heldRequest>>[] = [];
    const probe = () => https('/health/live', host);
    try {
      for (let i = 0; i < SOCKETS; i++) {
        const { socket, outcome } = await upgrade(host.ca, host.key);
        sockets.push(socket);
        assert.equal(outcome, 'open');
      }
      // One request more than the sockets leave room for, all at once: whatever order Nginx reads
      // them in, exactly one is refused, and at that moment the other `limit` are all counted (and
      // stay so: none of them ends). Were the sockets not counted, none would be refused.
      const attempts = limit - SOCKETS + 1;
      held.push(
        ...(await Promise.all(Array.from({ length: attempts }, () => heldRequest(host.ca)))),
      );
      const refusedHeld = () => held.filter((h) => h.answer().startsWith('HTTP/1.1 429'));
      await waitFor(() => refusedHeld().length > 0, 10_000, 'one held request refused');
      const [refused] = refusedHeld();
      assert.equal(refusedHeld().length, 1, 'exactly one of the requests past the limit');
      await waitFor(() => refused!.answer().endsWith('}'), 5_000, 'the whole 429 body');
      assert.match(refused!.answer(), /\r\ncontent-type: application\/problem\+json\r\n/i);
      assert.match(refused!.answer(), /"detail":"Too many connections from this address at once/);

      assertNginx429(await probe(), /Too many connections from this address at once/);
      const beyond = await upgrade(host.ca, host.key);
      sockets.push(beyond.socket);
      assert.equal(beyond.outcome, 429, 'a WebSocket past the limit');
      assert.equal(refusedHeld().length, 1, 'the counted requests are still held');

      // One WebSocket fewer is one connection fewer: the next request is served.
      const closing = sockets.shift()!;
      const closedAt = Date.now();
      closing.close();
      await waitFor(async () => (await probe()).status === 200, 10_000, 'a slot after a close');
      const freedMs = Date.now() - closedAt;
      for (const s of sockets.splice(0)) s.terminate();
      for (const h of held.splice(0)) h.socket.destroy();
      await waitFor(async () => (await probe()).status === 200, 10_000, 'service after all closed');
      t.diagnostic(
        `limit ${limit}: ${SOCKETS} WebSockets + ${attempts} held requests at once → exactly 1 refused; then a GET and a WebSocket upgrade 429 problem+json; one WebSocket closed → a GET served ${freedMs} ms later`,
      );
    } finally {
      for (const s of sockets) s.terminate();
      for (const h of held) h.socket.destroy();
      await flushRateLimits();
    }
  });
});
