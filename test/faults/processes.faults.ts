import assert from 'node:assert/strict';
import {
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import pg from 'pg';
import { waitFor } from '../support/e2e.js';
import { ctl, HOST_DIR, programs } from '../ops/support/host.js';
import { sleep, type FaultStack } from './support/stack.js';

/** Points the host's `current` release at `target` (atomically, as deploy.sh does). */
function switchCurrent(target: string): void {
  const current = join(HOST_DIR, 'current');
  rmSync(`${current}.tmp`, { force: true });
  symlinkSync(target, `${current}.tmp`);
  renameSync(`${current}.tmp`, current);
}

/** RELIABILITY "Database: pool exhaustion" and "Edge and processes: crash loops". */
export function processFaults(stack: FaultStack, figures: Map<string, string>): void {
  it(
    'answers reads 503 within the acquire timeout, never hanging, while a lock holds every pooled connection',
    { timeout: 120_000 },
    async (t) => {
      const LOCK_MS = 8_000;
      const locker = new pg.Client({ connectionString: stack.dbUrl });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
        const lockedAt = Date.now();
        const release = sleep(LOCK_MS).then(() => locker.query('COMMIT'));
        // Twice the pool of both api processes (10 each): the first 20 wait on the lock, the rest on the pool.
        const answers = await Promise.all(
          Array.from({ length: 40 }, async (_, i) => {
            const res = await stack.call(`/v1/items?limit=5&q=fault${i}`);
            return {
              status: res.status,
              ms: Date.now() - lockedAt,
              retryAfter: res.headers['retry-after'],
              type: String(res.headers['content-type']),
            };
          }),
        );
        await release;
        const refused = answers.filter((a) => a.status === 503);
        const served = answers.filter((a) => a.status === 200);
        assert.equal(
          refused.length + served.length,
          answers.length,
          JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 503)),
        );
        assert.ok(refused.length > 0, 'the pool overflowed');
        assert.ok(
          refused.every((a) => /problem\+json/.test(a.type) && /^\d+$/.test(String(a.retryAfter))),
          'problem+json with Retry-After',
        );
        // Acquire timeout 2 s, and Nginx tries the other api once: ~4 s, far from the 15 s statement timeout.
        const slowest503 = Math.max(...refused.map((a) => a.ms));
        assert.ok(slowest503 < 6_000, `slowest 503 after ${slowest503} ms`);
        assert.ok(
          served.every((a) => a.ms < LOCK_MS + 3_000),
          'the waiting reads finished once the lock went',
        );
        const line = `40 concurrent reads while items was locked ${LOCK_MS / 1000} s: ${refused.length} × 503 (slowest ${(slowest503 / 1000).toFixed(1)} s), ${served.length} × 200 after the lock`;
        t.diagnostic(line);
        figures.set('pool', line);
      } finally {
        await locker.query('ROLLBACK').catch(() => {});
        await locker.end();
      }
      assert.equal((await stack.call('/v1/items?limit=5')).status, 200);
    },
  );

  it(
    'puts a worker that dies at every start into FATAL, reported by ctl status, and runs it again once fixed',
    { timeout: 180_000 },
    async (t) => {
      const current = join(HOST_DIR, 'current');
      const good = readlinkSync(current);
      const broken = join(HOST_DIR, 'releases', `crash-loop-${Date.now()}`);
      mkdirSync(join(broken, 'dist/apps/worker'), { recursive: true });
      writeFileSync(
        join(broken, 'dist/apps/worker/main.js'),
        "process.stderr.write('cannot start\\n');\nprocess.exit(1);\n",
      );
      const others = [...(await programs())]
        .filter(([name]) => name !== 'worker:worker-2')
        .map(([name, p]) => [name, p.pid]);
      try {
        switchCurrent(broken);
        await ctl('restart', 'worker:worker-2');
        const started = Date.now();
        await waitFor(
          async () => (await programs()).get('worker:worker-2')?.state === 'FATAL',
          120_000,
          'worker-2 in FATAL',
        );
        const fatalAfter = Date.now() - started;
        const status = await ctl('status');
        assert.notEqual(status.code, 0, 'ctl status exits non-zero while a program is not running');
        assert.match(status.out, /worker:worker-2\s+FATAL/);
        const log = readFileSync(join(HOST_DIR, 'logs/supervisord.log'), 'utf8');
        assert.match(log, /gave up: worker-2 entered FATAL state/);
        assert.deepEqual(
          [...(await programs())]
            .filter(([name]) => name !== 'worker:worker-2')
            .map(([name, p]) => [name, p.pid]),
          others,
          'the other programs kept running untouched',
        );
        switchCurrent(good);
        await ctl('start', 'worker:worker-2');
        await waitFor(
          async () => (await programs()).get('worker:worker-2')?.state === 'RUNNING',
          60_000,
          'worker-2 running again',
        );
        const line = `worker-2 FATAL ${(fatalAfter / 1000).toFixed(1)} s after a release that exits at start; ctl status exit ${status.code}; others untouched; RUNNING again after the fix`;
        t.diagnostic(line);
        figures.set('crash-loop', line);
      } finally {
        switchCurrent(good);
        await ctl('start', 'worker:worker-2');
        rmSync(broken, { recursive: true, force: true });
      }
    },
  );
}
