import assert from 'node:assert/strict';
import { it } from 'node:test';
import type WebSocket from 'ws';
import { API_PORTS } from '../ops/support/host.js';
import { LIMITS, rssMiB, type FaultStack } from './support/stack.js';

/** Count of PATCH /v1/items/:symbol answers an api process has served, from its loopback /metrics. */
async function patchesServed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('http_request_duration_seconds_count{') &&
        l.includes('method="PATCH"') &&
        l.includes('route="/v1/items/:symbol"'),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

const forgedAddress = (i: number) => `203.0.113.${i % 250}, 198.51.100.${(i * 7) % 250}`;

/** What happened to one WebSocket upgrade: opened, or refused with an HTTP status, or an error. */
function upgrade(
  socket: WebSocket,
): Promise<{ opened: boolean; status: number | null; retryAfter?: string; error?: string }> {
  return new Promise((done) => {
    socket.once('open', () => done({ opened: true, status: 101 }));
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      done({
        opened: false,
        status: res.statusCode ?? 0,
        retryAfter: String(res.headers['retry-after'] ?? ''),
      });
    });
    socket.once('error', (error) => done({ opened: false, status: null, error: error.message }));
  });
}

/** RELIABILITY "Rate limits": limits across processes, forged X-Forwarded-For, connection floods. */
export function edgeFaults(stack: FaultStack, figures: Map<string, string>): void {
  it('limits one key across both api processes behind Nginx: write 6 of 10, each with a forged X-Forwarded-For, is the first 429', async () => {
    await stack.flushRateLimits();
    const before = await Promise.all(API_PORTS.map(patchesServed));
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.itemsWrite + 5; i++) {
      const res = await stack.call('/v1/items/SYN00001', {
        method: 'PATCH',
        body: { description: `fault suite write ${i}` },
        headers: { 'X-Forwarded-For': forgedAddress(i), 'X-Real-IP': `192.0.2.${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/, 'an integer Retry-After');
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      }
    }
    const after = await Promise.all(API_PORTS.map(patchesServed));
    const served = after.map((n, i) => n - before[i]!);
    assert.deepEqual(statuses, [...Array(LIMITS.itemsWrite).fill(200), ...Array(5).fill(429)]);
    assert.ok(
      served.every((n) => n > 0),
      `both api processes answered some of the writes: ${served.join(' + ')}`,
    );
    figures.set(
      'limits',
      `429 from write ${LIMITS.itemsWrite + 1} (limit ${LIMITS.itemsWrite}); api processes served ${served.join(' + ')}`,
    );
  });

  it(
    'refuses a WebSocket connect flood of one key at the upgrade (429) beyond its per-credential limit and stays up with bounded memory',
    { timeout: 120_000 },
    async (t) => {
      await stack.flushRateLimits();
      const apis = await stack.pids('api');
      const rssBefore = [...apis.values()].map(rssMiB);
      const FLOOD = 400;
      // One key, each attempt with another forged X-Forwarded-For: connects count per credential,
      // so no address, forged or real, buys more.
      const sockets = Array.from({ length: FLOOD }, (_, i) =>
        stack.socket({ 'X-Forwarded-For': forgedAddress(i) }),
      );
      let outcomes: Awaited<ReturnType<typeof upgrade>>[];
      let rssPeak: number[];
      try {
        outcomes = await Promise.all(sockets.map(upgrade));
        rssPeak = [...apis.values()].map(rssMiB);
      } finally {
        for (const s of sockets) s.terminate();
        // The flood used up this key's connects for the window; later tests connect again.
        await stack.flushRateLimits();
      }
      const opened = outcomes.filter((o) => o.opened).length;
      const refused = outcomes.filter((o) => o.status === 429);

      const other = outcomes.filter((o) => !o.opened && o.status !== 429);
      assert.deepEqual(other, [], 'every attempt either opened or was refused with 429');
      assert.equal(
        opened,
        LIMITS.wsConnect,
        `exactly the per-credential limit opened, across both api processes`,
      );
      assert.equal(refused.length, FLOOD - LIMITS.wsConnect);
      assert.ok(
        refused.every((o) => /^[1-9]\d*$/.test(o.retryAfter ?? '')),
        'every refusal carries an integer Retry-After',
      );
      assert.deepEqual(await stack.pids('api'), apis, 'no api process restarted');
      const growth = rssPeak.map((v, i) => v - rssBefore[i]!);
      assert.ok(
        growth.every((g) => g < 64),
        `api RSS growth ${growth.map((g) => g.toFixed(1)).join(', ')} MiB`,
      );
      assert.equal((await stack.call('/health/ready')).status, 200);
      const line = `${FLOOD} upgrades: ${opened} opened, ${refused.length} × 429; api RSS +${growth.map((g) => g.toFixed(1)).join(' / +')} MiB`;
      t.diagnostic(line);
      figures.set('ws-flood', line);
    },
  );
}
