/**
 * Parts 2 and 3 of the scan bench: the real api and worker processes (from dist/, production
 * settings) against real PostgreSQL and Redis, timed from the client: POST /v1/scans?wait=30 →
 * the completed scan in the response body.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { median, run, stopChild, withOwnRedisDb, type Server } from '../support.js';

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: median(s), p95: rank(95), max: s[s.length - 1]! };
}

export interface Stack {
  api: Server;
  worker: Server;
  key: string;
  databaseUrl: string;
  redisUrl: string;
}

export interface StackSettings {
  root: string;
  databaseUrl: string;
  redisUrl: string;
  apiPort: number;
  workerPort: number;
}

export const cli = (root: string, databaseUrl: string, ...args: string[]) =>
  run(process.execPath, ['dist/src/cli.js', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    maxBuffer: 64 * 2 ** 20,
  });

/**
 * Makes sure the bench has its Redis database to itself, then empties it (queue, cache, limits) so
 * no job of an earlier run is left. Another client on the same database — say a local production
 * topology (`npm run host:up`) — would take the bench's scan jobs with its own workers and turn
 * every latency into noise, and flushing would wipe its queue: the bench refuses instead.
 */
async function claimRedisDb(redisUrl: string): Promise<void> {
  await withOwnRedisDb(redisUrl, (others) => {
    throw new Error(
      `Redis ${redisUrl} is in use by ${others}: choose a free database with BENCH_SCAN_REDIS_URL / BENCH_SCAN_SYNTH_REDIS_URL`,
    );
  });
}

/** After the run: empties the database again (nothing of the bench is left in Redis), unless someone else connected meanwhile. */
async function releaseRedisDb(redisUrl: string): Promise<void> {
  await withOwnRedisDb(redisUrl, (others) =>
    console.error(`left ${redisUrl} as it is: ${others} connected to it during the run`),
  ).catch((e: Error) => console.error(`could not empty ${redisUrl}: ${e.message}`));
}

const children = new Set<ChildProcess>();

/** Synchronous last resort for signal handlers: kills every api and worker this bench started. */
export const killStacksNow = () => children.forEach((c) => c.kill('SIGKILL'));

/**
 * `node <script>` from the repository root with `env` on top of ours, ready when `/health/live`
 * answers. Its own small starter (rather than support.ts's startServer) keeps the scan bench on
 * support's long-standing helpers only: run, stopChild, median and the Server shape.
 */
async function startApp(name: string, script: string, port: number, cwd: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = ''; // bounded, for the error message if it dies or a request fails
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if ((await fetch(`${url}/health/live`).catch(() => null))?.ok) return { name, url, child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`${name} did not become ready on ${url}/health/live:\n${output}`);
}

/** api + worker as production runs them, except rate limits no sequential bench can reach. */
export async function startStack(s: StackSettings, tag: string): Promise<Stack> {
  await claimRedisDb(s.redisUrl);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    RATE_LIMIT_SCANS_CREATE: '100000',
    RATE_LIMIT_SCANS_READ: '100000',
  };
  const worker = await startApp(`worker (${tag})`, 'dist/apps/worker/main.js', s.workerPort, s.root, {
    ...env,
    WORKER_PORT: String(s.workerPort),
  });
  try {
    const api = await startApp(`api (${tag})`, 'dist/apps/api/main.js', s.apiPort, s.root, {
      ...env,
      API_PORT: String(s.apiPort),
    });
    const key = (
      await cli(s.root, s.databaseUrl, 'keys', 'create', '--name', 'bench-scan', '--scopes', 'read,scan')
    ).stdout.trim();
    return { api, worker, key, databaseUrl: s.databaseUrl, redisUrl: s.redisUrl };
  } catch (error) {
    await stopAllStacks();
    throw error;
  }
}

/** Stops every api and worker this bench started (on the way out, even after an error). */
export const stopAllStacks = () => Promise.all([...children].map(stopChild));

/** Stops both processes and revokes the run's key. */
export async function stopStack(root: string, stack: Stack): Promise<void> {
  await stopChild(stack.api.child);
  await stopChild(stack.worker.child);
  await releaseRedisDb(stack.redisUrl);
  const prefix = stack.key.slice(4, 12); // msk_<8-character prefix>_<secret>
  await cli(root, stack.databaseUrl, 'keys', 'revoke', prefix).catch((e: Error) =>
    console.error(`could not revoke bench key ${prefix}: ${e.message}`),
  );
}

export interface ScanCall {
  /** Client wall time from sending the POST to the last byte of the completed scan, ms. */
  ms: number;
  /** The api's own time for the response (Server-Timing app;dur), ms. */
  serverMs: number | null;
  cached: boolean;
  /** The worker's summary metrics of the run (result.metrics). */
  metrics: { totalMs?: number; computeMs?: number; symbolsPerSecond?: number; barCacheHit?: boolean };
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
  const res = await fetch(`${stack.api.url}/v1/scans?wait=30`, { method: 'POST', headers, body: JSON.stringify(body) });
  let scanBody = JSON.parse(await res.text()) as ScanBody;
  let ms = performance.now() - started;
  const serverMs = serverTiming(res.headers);
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`POST /v1/scans answered ${res.status}: ${JSON.stringify(scanBody)}`);
  let polled = false;
  while (scanBody.status === 'queued' || scanBody.status === 'running') {
    polled = true;
    if (performance.now() - started > 300_000) throw new Error(`scan ${scanBody.id} not finished after 300 s`);
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

/** VmRSS and VmHWM (its peak so far) of a process, in bytes (from /proc); null off Linux or once it exited. */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
  } catch {
    return null;
  }
}

/**
 * A sample of the worker's /metrics, e.g. ('scan_stage_duration_seconds_sum', {stage: 'fetching'});
 * other labels (the registry's default `app`) may be present. Null when absent.
 */
export async function workerMetric(worker: Server, name: string, labels: Record<string, string>): Promise<number | null> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(name.length, l.lastIndexOf('}') + 1).includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

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
  root: string,
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
  await cli(root, synthUrl, 'db', 'migrate');
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
  if (state.synthetic === symbols && state.real === 0 && state.seed === seed && state.bars === bars) {
    return {
      url: synthUrl,
      provenance: `reused (already held ${symbols.toLocaleString('en-US')} synthetic symbols, seed ${seed}, ${bars} bars each)`,
    };
  }
  log(`  filling ${name}: data synth --symbols ${symbols} --bars ${bars} --seed ${seed} (about 80 s)`);
  const started = performance.now();
  const args = ['data', 'synth', '--symbols', String(symbols), '--bars', String(bars), '--seed', String(seed)];
  await cli(root, synthUrl, ...args, ...(state.synthetic > 0 ? ['--replace'] : []));
  const seconds = (performance.now() - started) / 1000;
  return {
    url: synthUrl,
    provenance: `created and filled by this run with \`data synth ${args.slice(2).join(' ')}\` in ${seconds.toFixed(0)} s`,
  };
}
