import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { call, createTestKey, startApp, testDataSource, waitFor, type RunningApp } from './support/e2e.js';
import { flushRateLimits, removeTestRows } from './support/fixtures.js';

type Frame = Record<string, any>;

/** Opens a socket and collects every frame it receives. */
async function connect(url: string, key?: string): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const socket = new WebSocket(url, { headers: key ? { 'X-API-Key': key } : {} });
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  await once(socket, 'open');
  return { socket, frames };
}

/** The HTTP status of a refused upgrade. */
async function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  const socket = new WebSocket(url, { headers });
  // Terminating a refused socket reports "closed before the connection was established": expected.
  socket.on('error', () => {});
  const [, res] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
  socket.terminate();
  return res.statusCode;
}

describe('WebSocket /v1/ws', () => {
  let api: RunningApp;
  let worker: RunningApp;
  let ds: DataSource;
  let key: string;
  let wsUrl: string;

  before(async () => {
    ds = await testDataSource();
    await flushRateLimits();
    key = await createTestKey(ds, 'read,scan', 'e2e-ws');
    [api, worker] = await Promise.all([startApp('api', { RATE_LIMIT_WS_CONNECT: '1000' }), startApp('worker')]);
    wsUrl = `${api.url.replace('http', 'ws')}/v1/ws`;
  });

  after(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await ds.query(`DELETE FROM scan_runs WHERE api_key_id IN (SELECT id FROM api_keys WHERE name LIKE 'e2e-ws%')`);
    await removeTestRows(ds);
    await ds.destroy();
  });

  it('refuses the upgrade without a valid key', async () => {
    assert.equal(await refusal(wsUrl), 401);
    assert.equal(await refusal(wsUrl, { 'X-API-Key': 'msk_bogus' }), 401);
  });

  it('streams progress with rising percent, then exactly one completed frame', async () => {
    const { socket, frames } = await connect(wsUrl, key);
    socket.send(JSON.stringify({ type: 'scan', request: { maxSymbols: 17, minTechRating: 2 } }));
    await waitFor(() => frames.some((f) => f['type'] === 'completed'), 15_000, 'completed frame');
    assert.equal(frames[0]!['type'], 'accepted');
    const progress = frames.filter((f) => f['type'] === 'progress');
    assert.ok(progress.length >= 3, `expected ≥ 3 progress frames, got ${progress.length}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!['percent'] >= progress[i - 1]!['percent'], 'percent rises');
    const completed = frames.filter((f) => f['type'] === 'completed');
    assert.equal(completed.length, 1);
    assert.equal(completed[0]!['scan'].result.results.length, 17);
    socket.close();
  });

  it('answers a subscription to a finished scan with completed at once', async () => {
    const done = await call(`${api.url}/v1/scans?wait=10`, { method: 'POST', key, json: { maxSymbols: 3 } });
    const { socket, frames } = await connect(wsUrl, key);
    socket.send(JSON.stringify({ type: 'subscribe', scanId: done.body.id }));
    await waitFor(() => frames.length > 0, 5000, 'a frame');
    assert.equal(frames[0]!['type'], 'completed');
    assert.equal(frames[0]!['scan'].id, done.body.id);
    socket.close();
  });

  it("does not let a key subscribe to another key's scan", async () => {
    const done = await call(`${api.url}/v1/scans?wait=10`, { method: 'POST', key, json: { maxSymbols: 4 } });
    const other = await createTestKey(ds, 'read,scan', 'e2e-ws-other');
    const { socket, frames } = await connect(wsUrl, other);
    socket.send(JSON.stringify({ type: 'subscribe', scanId: done.body.id }));
    await waitFor(() => frames.length > 0, 5000, 'a frame');
    assert.equal(frames[0]!['type'], 'error');
    socket.close();
  });

  it('answers malformed frames and bad scan requests with an error frame and stays open', async () => {
    const { socket, frames } = await connect(wsUrl, key);
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'dance' }));
    socket.send(JSON.stringify({ type: 'scan', request: { sectors: ['nope'] } }));
    await waitFor(() => frames.length >= 3, 5000, 'three error frames');
    assert.deepEqual(frames.map((f) => f['type']), ['error', 'error', 'error']);
    assert.match(frames[2]!['message'], /valid sectors/);
    assert.equal(socket.readyState, WebSocket.OPEN);
    socket.close();
  });

  it('runs examples/ws-client against the real server', async () => {
    const child = spawn(process.execPath, ['dist/examples/ws-client.js', '--url', wsUrl, '--key', key, '--request', '{"maxSymbols":12,"minTechRating":3}'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
