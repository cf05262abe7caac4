// @ts-check
// Jaeger for `npm run host:up`, when its binary is installed: the v2 all-in-one with in-memory
// storage, receiving the apps' traces over OTLP/HTTP on loopback. Jaeger is not a Debian package and
// nothing here downloads it (docs/operations.md says how to install it); without it the host runs
// untraced, as before.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, readPid, signal, waitUntil } from './processes.mjs';
import { which } from './prerequisites.mjs';

/** Where the apps send spans (OTEL_EXPORTER_OTLP_ENDPOINT) and where Jaeger's UI answers. */
export const JAEGER = {
  otlpHttp: 'http://127.0.0.1:4318',
  ui: 'http://127.0.0.1:16686',
};

/**
 * The jaeger binary to run: `JAEGER_BIN`, else `jaeger` on PATH; null when there is none.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function jaegerBinary(env = process.env) {
  return env.JAEGER_BIN || which('jaeger');
}

/** @param {import('./layout.mjs').HostPaths} paths */
const pidFile = (paths) => join(paths.run, 'jaeger.pid');

/**
 * Starts `bin` (its output in the host's logs/jaeger.log) and waits for its UI. It runs with the
 * host's environment, marker included, so host:down finds it even without its pid file.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 * @param {string} bin
 */
export async function startJaeger(paths, env, bin) {
  const log = openSync(join(paths.logs, 'jaeger.log'), 'a');
  // The OTLP receivers on loopback only: the default configuration listens on every interface.
  const child = spawn(
    bin,
    [
      '--set=receivers.otlp.protocols.http.endpoint=127.0.0.1:4318',
      '--set=receivers.otlp.protocols.grpc.endpoint=127.0.0.1:4317',
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(paths), `${child.pid}\n`);
  const up = await waitUntil(
    async () => alive(child.pid) && (await fetch(JAEGER.ui).catch(() => null))?.ok === true,
    30_000,
  );
  if (!up)
    throw new Error(
      `jaeger (${bin}) did not answer on ${JAEGER.ui} within 30 s: see ${join(paths.logs, 'jaeger.log')}`,
    );
}

/**
 * Stops the Jaeger host:up started, if it runs (SIGTERM, then SIGKILL after 10 s).
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {(message: string) => void} log
 */
export async function stopJaeger(paths, log) {
  const pid = readPid(pidFile(paths));
  if (!pid || !alive(pid)) return;
  log('stopping jaeger');
  signal(pid, 'SIGTERM');
  if (!(await waitUntil(() => !alive(pid), 10_000))) signal(pid, 'SIGKILL');
}
