import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { loadConfig, type AppConfig } from '#config';
import { assertTestDatabase } from '#database';

/**
 * Helpers for end-to-end specs: real api/worker processes from `dist/`, real PostgreSQL and Redis.
 * `npm test` points DATABASE_URL at a `_test` database and REDIS_URL at a test Redis db index.
 * Specs use them through `useStack()` (stack.ts); the ops and fault suites use them directly.
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

/** A port nobody listens on right now, chosen by the kernel (not a guess that another run may share). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `dist/apps/<app>/main.js` on a free port and waits until it answers /health/live. Ready
 * means this child answers: one that exited (a port taken between freePort() and its listen) is
 * never mistaken for ready because something else answers on the port; it is started again.
 */
export async function startApp(
  app: 'api' | 'worker',
  env: Record<string, string> = {},
): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    const started = await spawnApp(app, await freePort(), env);
    const exited = () => started.process.exitCode !== null || started.process.signalCode !== null;
    try {
      await waitFor(
        async () => {
          if (exited())
            throw new Error(
              `${app} exited (${started.process.exitCode ?? started.process.signalCode}) before it was ready`,
            );
          return (
            (await fetch(`${started.url}/health/live`).catch(() => null))?.ok === true && !exited()
          );
        },
        30_000,
        `${app} to start`,
      );
      return started;
    } catch (error) {
      await started.stop('SIGKILL');
      if (attempt < 3 && /EADDRINUSE/.test(started.output())) continue;
      throw new Error(`${(error as Error).message}\n${started.output()}`);
    }
  }
}

async function spawnApp(
  app: 'api' | 'worker',
  port: number,
  env: Record<string, string>,
): Promise<RunningApp> {
  const child = spawn(process.execPath, [`dist/apps/${app}/main.js`], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      [app === 'api' ? 'API_PORT' : 'WORKER_PORT']: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    // Already gone (exited, or died of a signal): waiting for 'exit' again would hang.
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exit = once(child, 'exit') as Promise<[number | null]>;
    child.kill(signal);
    const [code] = await exit;
    return code;
  };
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output, stop };
}

/** Polls `check` every 50 ms until it returns true; no fixed sleeps in specs. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
