import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { assertTestDatabase } from '#database';
import { cli, ensureSynthDatabase, withClient, withDatabase } from './support/databases.js';
import { call, startApp, testConfig, waitFor, type RunningApp } from './support/e2e.js';

/**
 * `kill -9` of the worker during a 10,000-symbol scan (RELIABILITY: worker killed mid-scan).
 * Runs on its own synthetic database (10,000 × 1,260 bars), created once and reused by later runs.
 */
const DB = 'scanner_synth10k_test';
const SYMBOLS = 10_000;

describe('a worker killed mid-scan', () => {
  const url = withDatabase(testConfig().databaseUrl, DB);
  let api: RunningApp | undefined;
  const workers: RunningApp[] = [];
  let key: string;

  before(async () => {
    assertTestDatabase(url);
    await ensureSynthDatabase(testConfig().databaseUrl, DB, SYMBOLS);
    await withClient(url, (c) => c.query('DELETE FROM scan_runs'));
    const created = await cli(url, 'keys', 'create', '--name', 'e2e-crash', '--scopes', 'read,scan');
    assert.equal(created.code, 0, created.stderr);
    key = created.stdout.trim();
    const env = { DATABASE_URL: url, RATE_LIMIT_WS_CONNECT: '1000' };
    api = await startApp('api', env);
    workers.push(await startApp('worker', env));
  });

  after(async () => {
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop())]);
    await withClient(url, async (c) => {
      await c.query('DELETE FROM scan_runs');
      await c.query(`DELETE FROM api_keys WHERE name LIKE 'e2e%'`);
    });
  });

  it('completes the scan after a restart with one set of results and one terminal event', async () => {
    const socket = new WebSocket(`${api!.url.replace('http', 'ws')}/v1/ws`, { headers: { 'X-API-Key': key } });
    const frames: Record<string, any>[] = [];
    let killedAt: number | null = null;
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, any>;
      frames.push(frame);
      // Kill at ~30 %: well inside the scanning stage (25..95 %), results not yet written.
      if (killedAt === null && frame['type'] === 'progress' && frame['percent'] >= 30) {
        killedAt = frame['percent'];
        workers[0]!.process.kill('SIGKILL');
      }
    });
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'scan', request: { maxSymbols: 50 } }));

    await waitFor(() => killedAt !== null, 120_000, 'the scan to reach 30 %');
    await once(workers[0]!.process, 'exit');
    const scanId = frames.find((f) => f['type'] === 'accepted')!['scan'].id as string;
    const status = await withClient(url, async (c) => (await c.query('SELECT status FROM scan_runs WHERE id = $1', [scanId])).rows[0].status);
    assert.notEqual(status, 'completed', 'the worker died before finishing');

    workers.push(await startApp('worker', { DATABASE_URL: url }));
    await waitFor(() => frames.some((f) => f['type'] === 'completed' || f['type'] === 'failed'), 180_000, 'a terminal frame');
    // Anything still in flight would arrive now.
    await new Promise((r) => setTimeout(r, 1000));
    const terminal = frames.filter((f) => f['type'] === 'completed' || f['type'] === 'failed');
    assert.equal(terminal.length, 1, JSON.stringify(terminal.map((f) => f['type'])));
    assert.equal(terminal[0]!['type'], 'completed');
    socket.close();

    const rows = await withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n, count(DISTINCT symbol)::int AS d FROM scan_results WHERE scan_run_id = $1', [scanId])).rows[0]);
    assert.deepEqual(rows, { n: 50, d: 50 });
    const scan = await call(`${api!.url}/v1/scans/${scanId}`, { key });
    assert.equal(scan.body.status, 'completed');
    assert.equal(scan.body.result.universeSize, SYMBOLS);
    assert.deepEqual(scan.body.result.results, terminal[0]!['scan'].result.results);
  });
});
