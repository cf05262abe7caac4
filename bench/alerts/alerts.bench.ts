/**
 * bench:alerts — the time from a data version bump to the last alert handed to delivery, for
 * 10,000 watches over 500 distinct requests on one worker (issue 17: budget ≤ 30 s), then to the
 * last push answered by the local fake of APNs, and the memory the worker holds doing it. The
 * watches are written straight into the database (500 installations of 20, the documented bound,
 * each with a device token), their baselines are evaluated first, then one symbol is made inactive
 * with a new version — as an import would — which moves the 11th of every ranking into its top 10:
 * 20,000 alerts, one push per watch (its entered and exited alerts together).
 *
 * Environment: BENCH_ALERTS_DATABASE_URL (a database with the embedded data; default DATABASE_URL),
 * BENCH_ALERTS_REDIS_URL (a Redis database of its own; default redis://127.0.0.1:6379/13),
 * BENCH_ALERTS_WATCHES (10000), BENCH_ALERTS_REQUESTS (500), BENCH_ALERTS_WORKER_PORT (3795).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { loadConfig } from '#config';
import { hashApiKey } from '#database';
import { bullConnection, QUEUES, type NormalizedScanRequest } from '#jobs';
import { requestHash } from '../../apps/api/scans/scan-request.normalizer.js';
import { loadavg, machineInfo, memoryOf } from '../kit/machine.js';
import { metricValue } from '../kit/prometheus.js';
import { runBench, startServer, stopChild } from '../kit/processes.js';
import { claimRedisDb, releaseRedisDb } from '../kit/redis.js';
import { startFakeApns } from '../../test/support/fake-apns.js';

const env = process.env;
const config = loadConfig();
const DATABASE_URL = env.BENCH_ALERTS_DATABASE_URL ?? config.databaseUrl;
const REDIS_URL = env.BENCH_ALERTS_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const WATCHES = Number(env.BENCH_ALERTS_WATCHES ?? 10_000);
const REQUESTS = Number(env.BENCH_ALERTS_REQUESTS ?? 500);
const PER_INSTALLATION = 20;
const BUDGET_S = 30;
const TAG = `bench-alerts-${process.pid}`;

const request = (i: number): NormalizedScanRequest => ({
  sectors: null,
  symbols: null,
  // Distinct requests with one ranking: maxSymbols only cuts it (each still ranks every symbol).
  maxSymbols: 11 + i,
  minTechRating: 55,
  profile: 'balanced',
  direction: 'long',
  asOf: null,
  asOfRequested: null,
  accountSize: 10000,
  riskPct: 1,
  targetRR: 2,
});

const device = (i: number) => i.toString(16).padStart(64, '0');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function seed(db: pg.Client): Promise<string> {
  const key = await db.query<{ id: string }>(
    `INSERT INTO api_keys (name, prefix, key_hash, scopes, grants) VALUES ($1, $2, $3, '{install}', '{read,scan}') RETURNING id`,
    [TAG, randomBytes(6).toString('hex').slice(0, 8), hashApiKey(randomBytes(32).toString('hex'))],
  );
  const appKeyId = key.rows[0]!.id;
  const installations = Math.ceil(WATCHES / PER_INSTALLATION);
  const ids = Array.from({ length: installations }, () => randomUUID());
  await db.query(
    `INSERT INTO installations (id, app_key_id, prefix, token_hash, scopes, apns_token, apns_environment, apns_token_updated_at)
       SELECT id, $2, substr(md5(id::text), 1, 8), encode(sha256(id::text::bytea), 'hex'), '{read,scan}', d, 'production', now()
         FROM unnest($1::uuid[], $3::varchar[]) AS t(id, d)`,
    [ids, appKeyId, ids.map((_, i) => device(i + 1))],
  );
  const requests = Array.from({ length: REQUESTS }, (_, i) => request(i));
  const hashes = requests.map(requestHash);
  const rows = Array.from({ length: WATCHES }, (_, i) => ({
    installation: ids[Math.floor(i / PER_INSTALLATION)]!,
    r: i % REQUESTS,
  }));
  await db.query(
    `INSERT INTO watches (installation_id, name, request, request_hash, notify)
       SELECT i, 'bench', r, h, '{"topN":10,"on":["enter","exit","signalChange"]}'
         FROM unnest($1::uuid[], $2::jsonb[], $3::char(64)[]) AS t(i, r, h)`,
    [
      rows.map((x) => x.installation),
      rows.map((x) => JSON.stringify(requests[x.r])),
      rows.map((x) => hashes[x.r]),
    ],
  );
  return appKeyId;
}

async function bump(db: pg.Client, symbol: string, active: boolean): Promise<number> {
  await db.query('BEGIN');
  await db.query('UPDATE items SET active = $2 WHERE symbol = $1', [symbol, active]);
  const v = await db.query<{ id: number }>(
    `INSERT INTO data_versions (source, checksum, symbols, bars, report) VALUES ('bench', $1, 0, 0, '{}') RETURNING id`,
    [randomBytes(32).toString('hex')],
  );
  await db.query('COMMIT');
  return v.rows[0]!.id;
}

runBench(async () => {
  await claimRedisDb(REDIS_URL, 'BENCH_ALERTS_REDIS_URL');
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const port = Number(env.BENCH_ALERTS_WORKER_PORT ?? 3795);
  const queue = new Queue(QUEUES.alertDelivery, {
    connection: bullConnection(REDIS_URL, 'consumer'),
    prefix: config.queuePrefix,
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-apns-'));
  const fake = await startFakeApns(dir);
  let appKeyId: string | null = null;
  let moved: string | null = null;
  try {
    appKeyId = await seed(db);
    const stale = async (v: number) =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM watches w JOIN installations i ON i.id = w.installation_id
              WHERE i.app_key_id = $1 AND (w.last_data_version IS NULL OR w.last_data_version < $2)`,
            [appKeyId, v],
          )
        ).rows[0]!.n,
      );
    const worker = await startServer({
      name: 'worker',
      script: 'dist/apps/worker/main.js',
      port,
      readyPath: '/health/live',
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL,
        REDIS_URL,
        WORKER_PORT: String(port),
        WATCH_CHECK_INTERVAL_MS: '500',
        ...fake.env,
        // Every watch pushes once: the cap (20 a day by default) would count, not limit, here.
        APNS_DAILY_CAP: '10000',
      },
    });
    const current = Number(
      (await db.query<{ v: number }>('SELECT coalesce(max(id), 0) AS v FROM data_versions'))
        .rows[0]!.v,
    );
    const baselineStarted = performance.now();
    await until(async () => (await stale(current)) === 0, 600_000, 'the baselines');
    const baselineS = (performance.now() - baselineStarted) / 1000;
    const top = (
      await db.query<{ s: string }>(
        `SELECT last_result->0->>'symbol' AS s FROM watches w JOIN installations i ON i.id = w.installation_id WHERE i.app_key_id = $1 LIMIT 1`,
        [appKeyId],
      )
    ).rows[0]!.s;
    const scansBefore = (await metricValue(worker.url, 'watch_evaluation_scans_total')) ?? 0;
    const rssBefore = memoryOf(worker.child.pid)?.rss ?? null;
    const load = loadavg();

    moved = top;
    const started = performance.now();
    const version = await bump(db, top, false);
    const expected = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            'SELECT count(*) AS n FROM alerts WHERE data_version = $1',
            [version],
          )
        ).rows[0]!.n,
      );
    let handed = 0;
    await until(
      async () => {
        if ((await stale(version)) > 0) return false;
        const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
        handed = jobs
          .filter((j) => (j.data as { dataVersion: number }).dataVersion === version)
          .reduce((n, j) => n + (j.data as { alertIds: string[] }).alertIds.length, 0);
        return handed > 0 && handed === (await expected());
      },
      600_000,
      'the last alert handed to delivery',
    );
    const seconds = (performance.now() - started) / 1000;
    const pushesBefore = fake.pushes.length;
    await until(
      async () =>
        Number(
          (
            await db.query<{ n: string }>(
              `SELECT count(*) AS n FROM alerts WHERE data_version = $1 AND (push_state IS NULL OR push_state = 'sending')`,
              [version],
            )
          ).rows[0]!.n,
        ) === 0,
      600_000,
      'the last push',
    );
    const pushSeconds = (performance.now() - started) / 1000;
    const states = (
      await db.query<{ push_state: string; n: string }>(
        'SELECT push_state, count(*) AS n FROM alerts WHERE data_version = $1 GROUP BY push_state',
        [version],
      )
    ).rows.map((r) => `${r.push_state}: ${r.n}`);
    const scans =
      ((await metricValue(worker.url, 'watch_evaluation_scans_total')) ?? 0) - scansBefore;
    const memory = memoryOf(worker.child.pid);
    const heap = await metricValue(worker.url, 'nodejs_heap_size_used_bytes');
    await stopChild(worker.child);
    const mb = (b: number | null | undefined) => (b == null ? null : Math.round(b / 2 ** 20));
    const result = {
      machine: machineInfo(),
      loadavgBefore: load,
      loadavgAfter: loadavg(),
      watches: WATCHES,
      requests: REQUESTS,
      baselineSeconds: Math.round(baselineS * 10) / 10,
      bumpToLastAlertHandedSeconds: Math.round(seconds * 100) / 100,
      budgetSeconds: BUDGET_S,
      bumpToLastPushSeconds: Math.round(pushSeconds * 100) / 100,
      verdict: pushSeconds <= BUDGET_S ? 'within budget' : 'over budget',
      budgetOverTime: Math.round((BUDGET_S / pushSeconds) * 100) / 100,
      pushes: fake.pushes.length,
      pushesAfterTheLastAlertHanded: fake.pushes.length - pushesBefore,
      alertPushStates: states,
      fakeViolations: fake.violations.length,
      scansForTheBump: scans,
      alerts: handed,
      workerRssMbBefore: mb(rssBefore),
      workerRssMbAfter: mb(memory?.rss),
      workerPeakRssMb: mb(memory?.peak),
      workerHeapUsedMbAfter: mb(heap),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (moved) {
      await db.query('UPDATE items SET active = true WHERE symbol = $1', [moved]);
    }
    await db.query(`DELETE FROM data_versions WHERE source = 'bench'`);
    if (appKeyId) await db.query('DELETE FROM api_keys WHERE id = $1', [appKeyId]);
    await queue.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    await db.end();
    await releaseRedisDb(REDIS_URL);
  }
});
