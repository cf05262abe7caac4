import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Scan } from './support/api-types.js';
import { useStack } from './support/stack.js';
import { openSocket, refusal } from './support/ws.js';

describe('WebSocket /v1/ws', () => {
  const stack = useStack({
    api: { RATE_LIMIT_WS_CONNECT: '1000' },
    worker: true,
    scans: true,
    keys: { key: 'read,scan', other: 'read,scan' },
  });
  const { keys } = stack;
  /** A scan run to completion over HTTP (30 s at most: a cold worker on a loaded machine). */
  const finishedScan = async (maxSymbols: number) => {
    const res = await stack.call<Scan>('/v1/scans?wait=30', {
      method: 'POST',
      key: keys.key,
      json: { maxSymbols },
    });
    assert.equal(res.body.status, 'completed', JSON.stringify(res.body));
    return res.body;
  };

  it('refuses the upgrade without a valid key', async () => {
    assert.equal(await refusal(stack.wsUrl), 401);
    assert.equal(await refusal(stack.wsUrl, { 'X-API-Key': 'msk_bogus' }), 401);
  });

  it('streams progress with rising percent, then exactly one completed frame', async () => {
    const ws = await openSocket(stack.wsUrl, keys.key);
    ws.send({ type: 'scan', request: { maxSymbols: 17, minTechRating: 2 } });
    await ws.until(
      (frames) => frames.some((f) => f.type === 'completed'),
      30_000,
      'completed frame',
    );
    // Anything the server sent before the answer to this frame has arrived now: a second completed too.
    await ws.roundTrip();
    assert.equal(ws.frames[0]!.type, 'accepted');
    const progress = ws.of('progress');
    assert.ok(progress.length >= 3, `expected ≥ 3 progress frames, got ${progress.length}`);
    for (let i = 1; i < progress.length; i++)
      assert.ok(progress[i]!.percent >= progress[i - 1]!.percent, 'percent rises');
    const completed = ws.of('completed');
    assert.equal(completed.length, 1);
    assert.equal(completed[0]!.scan.result!.results.length, 17);
    ws.socket.close();
  });

  it('answers a subscription to a finished scan with completed at once', async () => {
    const done = await finishedScan(3);
    const ws = await openSocket(stack.wsUrl, keys.key);
    ws.send({ type: 'subscribe', scanId: done.id });
    await ws.until((frames) => frames.length > 0, 5000, 'a frame');
    const [frame] = ws.frames;
    assert.equal(frame!.type, 'completed', JSON.stringify(frame));
    assert.equal(ws.of('completed')[0]!.scan.id, done.id);
    ws.socket.close();
  });

  it("does not let a key subscribe to another key's scan", async () => {
    const done = await finishedScan(4);
    const ws = await openSocket(stack.wsUrl, keys.other);
    ws.send({ type: 'subscribe', scanId: done.id });
    await ws.until((frames) => frames.length > 0, 5000, 'a frame');
    assert.equal(ws.frames[0]!.type, 'error', JSON.stringify(ws.frames[0]));
    ws.socket.close();
  });

  it('answers malformed frames and bad scan requests with an error frame and stays open', async () => {
    const ws = await openSocket(stack.wsUrl, keys.key);
    ws.socket.send('not json');
    ws.send({ type: 'dance' });
    ws.send({ type: 'scan', request: { sectors: ['nope'] } });
    await ws.until((frames) => frames.length >= 3, 5000, 'three error frames');
    assert.deepEqual(
      ws.frames.map((f) => f.type),
      ['error', 'error', 'error'],
    );
    assert.match(ws.of('error')[2]!.message, /valid sectors/);
    assert.equal(ws.socket.readyState, WebSocket.OPEN);
    ws.socket.close();
  });

  it('runs examples/ws-client against the real server', async () => {
    const request = '{"maxSymbols":12,"minTechRating":3}';
    const child = spawn(
      process.execPath,
      ['dist/examples/ws-client.js', '--url', stack.wsUrl, '--key', keys.key, '--request', request],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0, out);
    const lines = out.trim().split('\n');
    assert.ok(lines.filter((l) => l.startsWith('progress')).length >= 3, out);
    const completedAt = lines.findIndex((l) => l.startsWith('completed'));
    assert.ok(completedAt > 0, out);
    assert.equal(lines.length - completedAt - 1, 10, 'the top 10 after the completed line');
  });
});
