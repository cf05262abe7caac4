import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { assertTestDatabase } from '#database';
import { ensureSynthDatabase, withClient, withDatabase } from '../support/databases.js';
import { testConfig, waitFor } from '../support/e2e.js';
import {
  alive,
  ctl,
  HOST_DIR,
  HTTPS_PORT,
  hostDown,
  hostUp,
  pidOfLocalPort,
  processGroup,
  programs,
  type Run,
} from './support/host.js';

/**
 * RELIABILITY "Graceful stop": `supervisorctl stop` of a worker during a scan → the scan finishes,
 * the process exits 0, no orphans. A scan has to be long enough to stop a worker in the middle of
 * it, so this host runs on the 10,000-symbol synthetic database of test/worker-crash.e2e-spec.ts
 * (made there, or here when missing), where a worker's first scan loads 12.6 M bars (~20 s).
 */
const DB = 'scanner_synth10k_test';
const SYMBOLS = 10_000;

describe('a worker stopped by Supervisor in the middle of a scan', () => {
  const url = withDatabase(testConfig().databaseUrl, DB);
  let key: string;
  let ca: Buffer;

  before(
    async () => {
      assertTestDatabase(url);
      await ensureSynthDatabase(testConfig().databaseUrl, DB, SYMBOLS);
      ({ key, ca } = await hostUp({ DATABASE_URL: url }));
    },
    { timeout: 600_000 },
  );

  after(
    async () => {
      await hostDown();
      await withClient(url, (c) => c.query(`DELETE FROM api_keys WHERE name = 'host'`));
    },
    { timeout: 240_000 },
  );

  it(
    'finishes the running scan, then exits 0 and leaves no process behind',
    { timeout: 240_000 },
    async (t) => {
      const socket = new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws`, {
        headers: { 'X-API-Key': key },
        ca,
      });
      const frames: Record<string, any>[] = [];
      socket.on('message', (data) =>
        frames.push(JSON.parse(data.toString()) as Record<string, any>),
      );
      await once(socket, 'open');
      // A request no earlier run made, so it is computed, not answered from the cache.
      socket.send(
        JSON.stringify({
          type: 'scan',
          request: { maxSymbols: 50, accountSize: 10_000 + (Date.now() % 100_000) },
        }),
      );
      await waitFor(
        () => frames.some((f) => f['type'] === 'progress' && f['stage'] === 'fetching'),
        60_000,
        'the fetching stage',
      );
      const scanId = frames.find((f) => f['type'] === 'accepted')!['scan'].id as string;

      // Which worker runs it: the one whose database connection is streaming the bars (COPY).
      const workers = [...(await programs())].filter(([name]) => name.startsWith('worker:'));
      let name: string | undefined;
      await waitFor(
        async () => {
          const ports = await withClient(url, async (c) =>
            (
              await c.query(
                `SELECT client_port FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE 'COPY (SELECT symbol%'`,
                [DB],
              )
            ).rows.map((r) => r.client_port as number),
          );
          for (const port of ports) {
            const pid = pidOfLocalPort(
              port,
              workers.map(([, p]) => p.pid!),
            );
            name = workers.find(([, p]) => p.pid === pid)?.[0];
            if (name) return true;
          }
          return false;
        },
        30_000,
        'the COPY of the bars by a worker',
      );
      const pid = workers.find(([n]) => n === name)![1].pid!;
      const statusAtStop = await withClient(
        url,
        async (c) =>
          (await c.query('SELECT status FROM scan_runs WHERE id = $1', [scanId])).rows[0].status,
      );
      assert.equal(statusAtStop, 'running');

      // `supervisorctl stop` returns once the process is gone: SIGTERM, the drain, the exit.
      const stopAt = Date.now();
      const stopping: Promise<Run> = ctl('stop', name!);
      let stopReturned = false;
      void stopping.then(() => (stopReturned = true));
      await waitFor(
        () => frames.some((f) => f['type'] === 'completed' || f['type'] === 'failed'),
        180_000,
        'a terminal frame',
      );
      const completedBeforeExit = !stopReturned;
      const completedMs = Date.now() - stopAt;
      const stopped = await stopping;
      t.diagnostic(
        `${name} stopped during the bar load: scan completed ${completedMs} ms later, the process exited after ${Date.now() - stopAt} ms`,
      );
      socket.close();

      const terminal = frames.filter((f) => f['type'] === 'completed' || f['type'] === 'failed');
      assert.deepEqual(
        terminal.map((f) => f['type']),
        ['completed'],
      );
      assert.equal(terminal[0]!['scan'].result.universeSize, SYMBOLS);
      assert.ok(completedBeforeExit, 'the scan completed while the worker was still stopping');
      assert.equal(stopped.code, 0, stopped.out);
      assert.match(stopped.out, new RegExp(`${name}: stopped`));

      // The stopped worker ran it to the end: one attempt, one set of results.
      const run = await withClient(
        url,
        async (c) =>
          (await c.query('SELECT status, attempts FROM scan_runs WHERE id = $1', [scanId])).rows[0],
      );
      assert.deepEqual(run, { status: 'completed', attempts: 1 });
      const rows = await withClient(
        url,
        async (c) =>
          (
            await c.query('SELECT count(*)::int AS n FROM scan_results WHERE scan_run_id = $1', [
              scanId,
            ])
          ).rows[0].n,
      );
      assert.equal(rows, 50);

      assert.equal((await programs()).get(name!)?.state, 'STOPPED');
      const log = readFileSync(join(HOST_DIR, 'logs/supervisord.log'), 'utf8');
      assert.match(log, new RegExp(`stopped: ${name!.split(':')[1]} \\(exit status 0\\)`));
      assert.equal(alive(pid), false);
      assert.deepEqual(processGroup(pid), [], 'no orphan left in the worker process group');
      await withClient(url, (c) => c.query('DELETE FROM scan_runs WHERE id = $1', [scanId]));
    },
  );
});
