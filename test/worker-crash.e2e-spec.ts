import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { assertTestDatabase } from '#database';
import type { Scan } from './support/api-types.js';
import { ensureSynthDatabase, siblingDatabase, withDatabase } from './support/databases.js';
import { testConfig, waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';
import { openSocket } from './support/ws.js';

/**
 * `kill -9` of the worker during a 10,000-symbol scan (RELIABILITY: worker killed mid-scan).
 * Runs on a synthetic database (10,000 × 1,260 bars) beside the test database — for `scanner_test`
 * the `scanner_synth10k_test` that the ops and fault suites use too — created once (a minute or
 * two, 1.4 GB) and reused by later runs. Other suites use it as well, so the stack removes only its
 * own key and scans, and the request is one no other run makes (nothing cached, stored or in flight).
 */
const SYMBOLS = 10_000;
const request = { maxSymbols: 50, accountSize: 10_000 + (Date.now() % 1_000_000) + process.pid };

describe('a worker killed mid-scan', () => {
  const stack = useStack({
    database: async () => {
      const base = testConfig().databaseUrl;
      const db = siblingDatabase(base, 'synth10k');
      assertTestDatabase(withDatabase(base, db));
      return ensureSynthDatabase(base, db, SYMBOLS);
    },
    shared: true,
    scans: true,
    keys: { key: 'read,scan' },
    api: { RATE_LIMIT_WS_CONNECT: '1000' },
    worker: true,
  });

  it('completes the scan after a restart with one set of results and one terminal event', async () => {
    const { keys } = stack;
    const firstWorker = stack.worker;
    const ws = await openSocket(stack.wsUrl, keys.key);
    let killedAt: number | null = null;
    ws.socket.on('message', () => {
      const frame = ws.frames.at(-1)!;
      // Kill at ~30 %: well inside the scanning stage (25..95 %), results not yet written.
      if (killedAt === null && frame.type === 'progress' && frame.percent >= 30) {
        killedAt = frame.percent;
        firstWorker.process.kill('SIGKILL');
      }
    });
    ws.send({ type: 'scan', request });

    await waitFor(() => killedAt !== null, 120_000, 'the scan to reach 30 %').catch(
      (error: Error) => {
        const seen = ws.frames.map((f) =>
          f.type === 'progress' ? `progress ${f.percent}` : JSON.stringify(f).slice(0, 300),
        );
        throw new Error(
          `${error.message}; frames: ${seen.join(', ')}\nworker:\n${firstWorker.output().slice(-2000)}`,
        );
      },
    );
    if (firstWorker.process.exitCode === null && firstWorker.process.signalCode === null)
      await once(firstWorker.process, 'exit');
    const scanId = ws.of('accepted')[0]!.scan.id;
    const [{ status }] = await stack.ds.query<{ status: string }[]>(
      'SELECT status FROM scan_runs WHERE id = $1',
      [scanId],
    );
    assert.notEqual(status, 'completed', 'the worker died before finishing');

    await stack.startApp('worker');
    const terminalFrames = () =>
      ws.frames.filter((f) => f.type === 'completed' || f.type === 'failed');
    await ws.until(() => terminalFrames().length > 0, 180_000, 'a terminal frame');
    // Anything the server sent before the answer to this frame has arrived now.
    await ws.roundTrip();
    const terminal = terminalFrames();
    assert.equal(terminal.length, 1, JSON.stringify(terminal.map((f) => f.type)));
    assert.equal(terminal[0]!.type, 'completed');
    ws.socket.close();

    const [rows] = await stack.ds.query<{ n: number; d: number }[]>(
      'SELECT count(*)::int AS n, count(DISTINCT symbol)::int AS d FROM scan_results WHERE scan_run_id = $1',
      [scanId],
    );
    assert.deepEqual(rows, { n: 50, d: 50 });
    const scan = await stack.call<Scan>(`/v1/scans/${scanId}`, { key: keys.key });
    assert.equal(scan.body.status, 'completed');
    assert.equal(scan.body.result!.universeSize, SYMBOLS);
    assert.deepEqual(scan.body.result!.results, ws.of('completed')[0]!.scan.result!.results);
  });
});
