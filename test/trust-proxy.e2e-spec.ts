import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { RunningApp } from './support/e2e.js';
import { flushRateLimits } from './support/fixtures.js';
import { call } from './support/http.js';
import { useStack } from './support/stack.js';
import { attemptSocket } from './support/ws.js';

const FAILURES_PER_WINDOW = 2;
const SOCKETS_PER_ADDRESS = 2;
const LIMITS = {
  RATE_LIMIT_AUTH_FAILURES: String(FAILURES_PER_WINDOW),
  WS_MAX_CONNECTIONS_PER_IP: String(SOCKETS_PER_ADDRESS),
  RATE_LIMIT_WS_CONNECT: '1000',
};

/** An unknown key (a guess): counted per client address by RATE_LIMIT_AUTH_FAILURES. */
const guess = () => `msk_GUESSxxx_${'g'.repeat(42)}${Math.floor(Math.random() * 10)}`;

/** Statuses of requests with unknown keys, each claiming (X-Forwarded-For) to come from `address`. */
async function guessesFrom(app: RunningApp, addresses: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of addresses) {
    const res = await call(`${app.url}/v1/items?limit=1`, {
      key: guess(),
      headers: { 'X-Forwarded-For': address },
    });
    statuses.push(res.status);
  }
  return statuses;
}

/** Opens a WebSocket claiming `address`: the socket when it opened, else the refusal's status. */
const upgradeFrom = (app: RunningApp, key: string, address: string) =>
  attemptSocket(`${app.url.replace('http', 'ws')}/v1/ws`, {
    headers: { 'X-API-Key': key, 'X-Forwarded-For': address },
  });

/**
 * TRUST_PROXY decides whose X-Forwarded-For names the client for the per-address limits (HTTP
 * through Fastify's trustProxy, the WebSocket upgrade through the same ranges). The api is reached
 * on loopback here, so 127.0.0.0/8 stands for the compose network Nginx runs in (172.28.0.0/16).
 */
describe('TRUST_PROXY and the per-address limits', () => {
  const stack = useStack({ keys: { scanner: 'read,scan' } });

  it('counts each X-Forwarded-For address on its own when the peer is in TRUST_PROXY (HTTP and WebSocket)', async () => {
    await flushRateLimits();
    await stack.withApp('api', { ...LIMITS, TRUST_PROXY: '127.0.0.0/8' }, async (api) => {
      const first = await guessesFrom(api, Array(3).fill('198.51.100.1'));
      assert.deepEqual(first, [401, 401, 429], 'one address: refused past its own budget');
      const other = await guessesFrom(api, ['198.51.100.2', '198.51.100.2']);
      assert.deepEqual(other, [401, 401], 'another address has a budget of its own');

      const opened: WebSocket[] = [];
      try {
        for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) {
          const { socket, outcome } = await upgradeFrom(api, stack.keys.scanner, '198.51.100.3');
          opened.push(socket);
          assert.equal(outcome, 'open');
        }
        const third = await upgradeFrom(api, stack.keys.scanner, '198.51.100.3');
        opened.push(third.socket);
        assert.equal(third.outcome, 429, 'a third socket from the same address');
        const elsewhere = await upgradeFrom(api, stack.keys.scanner, '198.51.100.4');
        opened.push(elsewhere.socket);
        assert.equal(elsewhere.outcome, 'open', 'a socket from another address');
      } finally {
        for (const socket of opened) socket.terminate();
      }
    });
  });

  it('ignores X-Forwarded-For with TRUST_PROXY=none: every request counts against the peer', async () => {
    await flushRateLimits();
    await stack.withApp('api', { ...LIMITS, TRUST_PROXY: 'none' }, async (api) => {
      const statuses = await guessesFrom(api, ['198.51.100.5', '198.51.100.6', '198.51.100.7']);
      assert.deepEqual(statuses, [401, 401, 429], 'three addresses claimed, one budget spent');

      // That address now may not guess: a key this process has not looked up yet would be refused
      // as a possible guess. The sockets below are about the per-address socket cap alone.
      await flushRateLimits();
      const opened: WebSocket[] = [];
      try {
        for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) {
          const { socket, outcome } = await upgradeFrom(
            api,
            stack.keys.scanner,
            `198.51.100.${8 + i}`,
          );
          opened.push(socket);
          assert.equal(outcome, 'open');
        }
        const third = await upgradeFrom(api, stack.keys.scanner, '198.51.100.20');
        opened.push(third.socket);
        assert.equal(third.outcome, 429, 'the forged address shares the peer’s socket budget');
      } finally {
        for (const socket of opened) socket.terminate();
      }
    });
    await flushRateLimits();
  });

  it('refuses to start with a bad TRUST_PROXY, naming the entry', () => {
    const run = spawnSync(process.execPath, ['dist/apps/api/main.js'], {
      env: { ...process.env, TRUST_PROXY: '172.28.0.0/16,172.28.0.0/33', API_PORT: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /TRUST_PROXY: "172\.28\.0\.0\/33": the prefix length must be 0\.\.32/);
  });
});
