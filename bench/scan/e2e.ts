/**
 * Parts 2 and 3 of the scan bench: the real api and worker processes (from dist/, production
 * settings) against real PostgreSQL and Redis, timed from the client: POST /v1/scans?wait=30 →
 * the completed scan in the response body.
 */
import pg from 'pg';
import { metricValue } from '../kit/prometheus.js';
import {
  cli,
  createKey,
  revokeKey,
  startServer,
  stopAll,
  stopChild,
  type Server,
} from '../kit/processes.js';
import { claimRedisDb, releaseRedisDb } from '../kit/redis.js';

export interface Stack {
  api: Server;
  worker: Server;
  key: string;
  databaseUrl: string;
  redisUrl: string;
}

export interface StackSettings {
  databaseUrl: string;
  redisUrl: string;
  apiPort: number;
  workerPort: number;
}

/**
 * api + worker as production runs them, except rate limits no sequential bench can reach; `extra`
 * on top of that environment (tracing's variables, say).
 */
export async function startStack(
  s: StackSettings,
  tag: string,
  extra: Record<string, string> = {},
): Promise<Stack> {
  await claimRedisDb(
    s.redisUrl,
    'BENCH_SCAN_REDIS_URL / BENCH_SCAN_SYNTH_REDIS_URL / BENCH_SCAN_TRACED_REDIS_URL',
  );
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    RATE_LIMIT_SCANS_CREATE: '100000',
    RATE_LIMIT_SCANS_READ: '100000',
    ...extra,
  };
  const worker = await startServer({
    name: `worker (${tag})`,
    script: 'dist/apps/worker/main.js',
    port: s.workerPort,
    readyPath: '/health/live',
    env: { ...env, WORKER_PORT: String(s.workerPort) },
  });
  try {
    const api = await startServer({
      name: `api (${tag})`,
      script: 'dist/apps/api/main.js',
      port: s.apiPort,
      readyPath: '/health/live',
      env: { ...env, API_PORT: String(s.apiPort) },
    });
    const key = await createKey(s.databaseUrl, 'bench-scan', 'read,scan');
    return { api, worker, key, databaseUrl: s.databaseUrl, redisUrl: s.redisUrl };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Stops both processes and revokes the run's key. */
export async function stopStack(stack: Stack): Promise<void> {
  await stopChild(stack.api.child);
  await stopChild(stack.worker.child);
  await releaseRedisDb(stack.redisUrl);
  await revokeKey(stack.databaseUrl, stack.key);
}

export interface ScanCall {
  /** Client wall time from sending the POST to the last byte of the completed scan, ms. */
  ms: number;
  /** The api's own time for the response (Server-Timing app;dur), ms. */
  serverMs: number | null;
  cached: boolean;
  /** The worker's summary metrics of the run (result.metrics). */
  metrics: {
    totalMs?: number;
    computeMs?: number;
    symbolsPerSecond?: number;
    barCacheHit?: boolean;
  };
  symbolsScanned: number;
  hits: number;
  /** True when ?wait ran out and the scan was polled to completion. */
  polled: boolean;
}

interface ScanBody {
  status: string;
  cached: boolean;
  id: string;
  error?: string;
  result?: { symbolsScanned: number; results: unknown[]; metrics: ScanCall['metrics'] };
}

const serverTiming = (h: Headers): number | null => {
  const m = /app;dur=([\d.]+)/.exec(h.get('server-timing') ?? '');
  return m ? Number(m[1]) : null;
};

/** POST /v1/scans?wait=30 and, should the wait run out (a cold 10,000-symbol load), poll until it completes. */
export async function scan(stack: Stack, body: Record<string, unknown>): Promise<ScanCall> {
  try {
    return await scanOnce(stack, body);
  } catch (error) {
    // Say what the servers said: a crash or an error log explains a failed request better than fetch does.
    const tail = (s: Server) =>
      `${s.name} (exit ${s.child.exitCode ?? s.child.signalCode ?? 'running'}):\n${s.output().slice(-3000)}`;
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    throw new Error(
      `${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}\n${tail(stack.api)}\n${tail(stack.worker)}`,
      { cause: error },
    );
  }
}

async function scanOnce(stack: Stack, body: Record<string, unknown>): Promise<ScanCall> {
  const headers = { 'X-API-Key': stack.key, 'Content-Type': 'application/json' };
  const started = performance.now();
  const res = await fetch(`${stack.api.url}/v1/scans?wait=30`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  let scanBody = JSON.parse(await res.text()) as ScanBody;
  let ms = performance.now() - started;
  const serverMs = serverTiming(res.headers);
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`POST /v1/scans answered ${res.status}: ${JSON.stringify(scanBody)}`);
  let polled = false;
  while (scanBody.status === 'queued' || scanBody.status === 'running') {
    polled = true;
    if (performance.now() - started > 300_000)
      throw new Error(`scan ${scanBody.id} not finished after 300 s`);
    await new Promise((r) => setTimeout(r, 100));
    const poll = await fetch(`${stack.api.url}/v1/scans/${scanBody.id}`, { headers });
    scanBody = JSON.parse(await poll.text()) as ScanBody;
    ms = performance.now() - started;
  }
  if (scanBody.status !== 'completed' || !scanBody.result)
    throw new Error(`scan ${scanBody.id} ended ${scanBody.status}: ${scanBody.error ?? ''}`);
  return {
    ms,
    serverMs,
    cached: scanBody.cached,
    metrics: scanBody.result.metrics,
    symbolsScanned: scanBody.result.symbolsScanned,
    hits: scanBody.result.results.length,
    polled,
  };
}

/** The api's Server-Timing of one GET of `path` (no key): the floor of any request on the stack. */
export async function serverTime(stack: Stack, path: string): Promise<number> {
  const res = await fetch(`${stack.api.url}${path}`);
  await res.arrayBuffer();
  const dur = serverTiming(res.headers);
  if (!res.ok || dur === null)
    throw new Error(`GET ${path} answered ${res.status} without Server-Timing`);
  return dur;
}

/**
 * A sample of the worker's /metrics, e.g. ('scan_stage_duration_seconds_sum', {stage: 'fetching'}).
 */
export const workerMetric = (
  worker: Server,
  name: string,
  labels: Record<string, string>,
): Promise<number | null> => metricValue(worker.url, name, labels);

export interface SynthDb {
  url: string;
  /** What was done to get it: reused, or created/filled and how long that took. */
  provenance: string;
}

/**
 * The 10,000 × 1,260 synthetic database: reused when it already holds exactly that universe
 * (seed 1), else created (as the scanner role, which has CREATEDB), migrated and filled with the
 * CLI as docs/market-data.md describes.
 */
export async function ensureSynthDb(
  baseUrl: string,
  name: string,
  symbols: number,
  bars: number,
  seed: number,
  log: (s: string) => void,
): Promise<SynthDb> {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const synthUrl = url.toString();
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      log(`  creating database ${name}`);
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    }
  } finally {
    await admin.end();
  }
  await cli(synthUrl, 'db', 'migrate');
  const db = new pg.Client({ connectionString: synthUrl });
  await db.connect();
  let state: { synthetic: number; real: number; seed: number | null; bars: number | null };
  try {
    const counts = await db.query<{ synthetic: string; real: string }>(
      `SELECT count(*) FILTER (WHERE sector = 'Synthetic') AS synthetic, count(*) FILTER (WHERE sector <> 'Synthetic') AS real FROM items`,
    );
    const version = await db.query<{ report: { seed?: number; barsPerSymbol?: number } | null }>(
      `SELECT report FROM data_versions WHERE source = 'synthetic' ORDER BY id DESC LIMIT 1`,
    );
    const report = version.rows[0]?.report ?? null;
    state = {
      synthetic: Number(counts.rows[0]!.synthetic),
      real: Number(counts.rows[0]!.real),
      seed: report?.seed ?? null,
      bars: report?.barsPerSymbol ?? null,
    };
  } finally {
    await db.end();
  }
  if (
    state.synthetic === symbols &&
    state.real === 0 &&
    state.seed === seed &&
    state.bars === bars
  ) {
    return {
      url: synthUrl,
      provenance: `reused (already held ${symbols.toLocaleString('en-US')} synthetic symbols, seed ${seed}, ${bars} bars each)`,
    };
  }
  log(
    `  filling ${name}: data synth --symbols ${symbols} --bars ${bars} --seed ${seed} (about 80 s)`,
  );
  const started = performance.now();
  const args = [
    'data',
    'synth',
    '--symbols',
    String(symbols),
    '--bars',
    String(bars),
    '--seed',
    String(seed),
  ];
  await cli(synthUrl, ...args, ...(state.synthetic > 0 ? ['--replace'] : []));
  const seconds = (performance.now() - started) / 1000;
  return {
    url: synthUrl,
    provenance: `created and filled by this run with \`data synth ${args.slice(2).join(' ')}\` in ${seconds.toFixed(0)} s`,
  };
}
