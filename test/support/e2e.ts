import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadConfig, type AppConfig } from '#config';
import { ApiKeyRepository, assertTestDatabase, createDataSource, parseScopes } from '#database';
import type { DataSource } from 'typeorm';

/**
 * Helpers for end-to-end specs: real api/worker processes from `dist/`, real PostgreSQL and Redis.
 * `npm test` points DATABASE_URL at a `_test` database and REDIS_URL at a test Redis db index.
 */
export const testConfig = (): AppConfig => {
  const config = loadConfig();
  assertTestDatabase(config.databaseUrl);
  return config;
};

export interface RunningApp {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

let nextPort = 3300 + (process.pid % 50) * 10;

/** Starts `dist/apps/<app>/main.js` on a free test port and waits until /health/live answers. */
export async function startApp(app: 'api' | 'worker', env: Record<string, string> = {}): Promise<RunningApp> {
  const port = nextPort++;
  const child = spawn(process.execPath, [`dist/apps/${app}/main.js`], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', [app === 'api' ? 'API_PORT' : 'WORKER_PORT']: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    // Already gone (exited, or died of a signal): waiting for 'exit' again would hang.
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  };
  try {
    await waitFor(async () => (await fetch(`${url}/health/live`).catch(() => null))?.ok === true, 20_000, `${app} to start`);
  } catch (error) {
    await stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, process: child, output: () => output, stop };
}

/** Polls `check` every 50 ms until it returns true; no fixed sleeps in specs. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A data source on the test database (guarded) for arranging and inspecting state. */
export async function testDataSource(): Promise<DataSource> {
  const ds = createDataSource(testConfig(), 'market-scanner-e2e');
  await ds.initialize();
  return ds;
}

export async function createTestKey(ds: DataSource, scopes: string, name = 'e2e'): Promise<string> {
  return (await new ApiKeyRepository(ds).create(name, parseScopes(scopes))).key;
}

/** Fetch returning status, headers and the parsed JSON body (if any). */
export async function call(
  url: string,
  init: RequestInit & { key?: string; json?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('X-API-Key', init.key);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
