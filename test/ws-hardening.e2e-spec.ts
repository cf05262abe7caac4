import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { ApiKeyRepository } from '#database';
import { CLOSE_REVOKED } from '../apps/api/scans/scans.gateway.js';
import { openSocket } from './support/ws.js';
import { useStack } from './support/stack.js';

const RACING_SUBSCRIBES = 1000;

/** Issue 13, WebSocket: no frame of a scan reaches a socket that may not see it; revoked keys lose their sockets. */
describe('WebSocket hardening', () => {
  const stack = useStack({
    api: { API_KEY_CACHE_TTL_MS: '1000' },
    worker: true,
    scans: true,
    keys: { owner: 'read,scan', stranger: 'read,scan' },
  });

  it(`delivers 0 frames of a foreign scan to ${RACING_SUBSCRIBES} subscribe frames racing it`, async () => {
    const owner = await openSocket(stack.wsUrl, stack.keys.owner);
    const stranger = await openSocket(stack.wsUrl, stack.keys.stranger);
    try {
      // A request no other run made, so the scan really runs and sends progress.
      owner.send({
        type: 'scan',
        request: { maxSymbols: 500, minTechRating: 0, accountSize: 12_345 },
      });
      await owner.until((f) => f.some((x) => x.type === 'accepted'), 15_000, 'accepted');
      const scanId = owner.of('accepted')[0]!.scan.id;
      for (let i = 0; i < RACING_SUBSCRIBES; i++) stranger.send({ type: 'subscribe', scanId });
      await owner.until((f) => f.some((x) => x.type === 'completed'), 30_000, 'completed');
      await stranger.until(
        (f) => f.filter((x) => x.type === 'error').length >= RACING_SUBSCRIBES,
        30_000,
        'an answer to every subscribe',
      );
      const leaked = stranger.frames.filter(
        (f) =>
          (f.type === 'progress' && f.scanId === scanId) ||
          (f.type === 'completed' && f.scan.id === scanId) ||
          (f.type === 'failed' && f.scanId === scanId),
      );
      assert.equal(owner.of('progress').length > 0, true, 'the scan sent progress meanwhile');
      assert.equal(leaked.length, 0, `${leaked.length} frames of the foreign scan delivered`);
      assert.match((stranger.of('error')[0] as { message: string }).message, /^no scan /);
    } finally {
      owner.socket.close();
      stranger.socket.close();
    }
  });

  it('closes an open socket within the key cache TTL once its key is revoked, with close code 4401', async () => {
    const key = await stack.createKey('read,scan', 'ws-revoked');
    const ws = await openSocket(stack.wsUrl, key);
    const closed = once(ws.socket, 'close') as Promise<[number, Buffer]>;
    const started = Date.now();
    await new ApiKeyRepository(stack.ds).revoke(key.slice(4, 12));
    const [code, reason] = await Promise.race([
      closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the socket of a revoked key stayed open')), 15_000),
      ),
    ]);
    assert.equal(code, CLOSE_REVOKED);
    assert.equal(reason.toString(), 'credential revoked');
    console.log(`revoked key's socket closed after ${Date.now() - started} ms (cache TTL 1000 ms)`);
  });
});
