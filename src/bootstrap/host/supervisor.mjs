// @ts-check
// The host's Supervisor: the top-level supervisord.conf, run with an environment of ours (written to
// the host's env file for deploy/ctl.sh and deploy/deploy.sh), and its status read back.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_PROCS, MARKER, ROOT, WORKER_PROCS } from './layout.mjs';
import { alive, readPid, waitUntil } from './processes.mjs';
import { required, which } from './prerequisites.mjs';

/**
 * The environment supervisord runs with (`env`) and the part of it that is ours (`own`, what the
 * env file keeps).
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {{ databaseUrl: string, redisUrl: string }} config
 */
export function hostEnvironment(paths, config) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')),
  );
  /** @type {Record<string, string>} */
  const own = {
    NODE_ENV: 'production',
    // A production-like host on a developer's machine keeps Swagger UI (the ops suite drives it in
    // Chromium); a real host leaves it off (deploy/env.example).
    DOCS_ENABLED: 'true',
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    APP_DIR: paths.current,
    NODE_BIN: process.execPath,
    LOG_DIR: paths.logs,
    RUN_DIR: paths.run,
    STATE_DIR: paths.state,
    API_PROCS: String(API_PROCS),
    WORKER_PROCS: String(WORKER_PROCS),
    LOG_TO_STDOUT: 'false',
    SUPERVISOR_CONF: paths.supervisorConf,
    DEPLOY_ROOT: paths.dir,
    REPO_URL: ROOT,
    NGINX_CONF: paths.nginxConf,
    NGINX_PREFIX: `${paths.nginx}/`,
    [MARKER]: paths.dir,
  };
  return { env: { ...base, ...own }, own };
}

/** @param {string} v */
const shellQuote = (v) => `'${String(v).replaceAll("'", "'\\''")}'`;

/**
 * Writes the env file in the shell syntax deploy/ctl.sh sources.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {Record<string, string>} own
 */
export function writeEnvFile(paths, own) {
  writeFileSync(
    paths.envFile,
    `# Written by npm run host:up: the environment of this host's supervisord (for deploy/ctl.sh, deploy/deploy.sh).\n` +
      Object.entries(own)
        .map(([k, v]) => `${k}=${shellQuote(v)}`)
        .join('\n') +
      '\n',
    { mode: 0o600 },
  );
}

/**
 * The variables of the env file (none when it is absent).
 * @param {import('./layout.mjs').HostPaths} paths
 * @returns {[string, string][]}
 */
export function envFileEntries(paths) {
  if (!existsSync(paths.envFile)) return [];
  return readFileSync(paths.envFile, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => {
      const i = l.indexOf('=');
      return [
        l.slice(0, i),
        l
          .slice(i + 1)
          .replace(/^'(.*)'$/s, '$1')
          .replaceAll("'\\''", "'"),
      ];
    });
}

/**
 * supervisorctl against the host's supervisord; exit code and output.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} args
 */
export function supervisorctl(paths, env, args) {
  const result = spawnSync(required('supervisorctl'), ['-c', paths.supervisorConf, ...args], {
    env,
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * `name → {state, pid}` from `supervisorctl status` output ("api:api-1  RUNNING  pid 123, uptime …").
 * @param {string} status
 * @returns {Map<string, { state: string, pid: number | null }>}
 */
export function parseStatus(status) {
  const map = new Map();
  for (const line of status.trim().split('\n')) {
    const [name, state] = line.split(/\s+/);
    if (!name || !state) continue;
    map.set(name, { state, pid: Number(/pid (\d+)/.exec(line)?.[1]) || null });
  }
  return map;
}

/**
 * The last lines of every program log, for error messages.
 * @param {import('./layout.mjs').HostPaths} paths
 */
export function logTails(paths) {
  if (!existsSync(paths.logs)) return '';
  return readdirSync(paths.logs)
    .filter((f) => f.endsWith('.log'))
    .map(
      (f) =>
        `── ${f}\n${readFileSync(join(paths.logs, f), 'utf8').split('\n').slice(-8).join('\n')}`,
    )
    .join('\n');
}

/**
 * Starts supervisord (it daemonises) and waits until every api and worker answers /health/live.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 */
export async function startSupervisor(paths, env) {
  const sup = spawnSync(required('supervisord'), ['-c', paths.supervisorConf], {
    env,
    stdio: 'inherit',
  });
  if (sup.status !== 0) throw new Error(`supervisord failed to start (exit ${sup.status})`);
  const ports = [...paths.apiPorts, ...paths.workerPorts];
  /** @param {number} port */
  const live = async (port) =>
    (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok === true;
  const ok = await waitUntil(async () => {
    const status = supervisorctl(paths, env, ['status']).out;
    if (/FATAL/.test(status))
      throw new Error(`a program went FATAL:\n${status}\n${logTails(paths)}`);
    return (await Promise.all(ports.map(live))).every(Boolean);
  }, 90_000);
  if (!ok)
    throw new Error(
      `api/worker processes did not answer /health/live within 90 s:\n${supervisorctl(paths, env, ['status']).out}\n${logTails(paths)}`,
    );
}

/**
 * supervisorctl shutdown: Supervisor stops the api group, then the workers (each drains its scan,
 * ≤ stopwaitsecs); SIGKILL after 150 s. No-op when it is not running.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 * @param {(message: string) => void} log
 */
export async function stopSupervisor(paths, env, log) {
  const pid = readPid(paths.supervisordPid);
  if (!pid || !alive(pid)) return;
  log('stopping supervisord and its programs (workers finish their running scan first)');
  const result = which('supervisorctl') ? supervisorctl(paths, env, ['shutdown']) : { code: 1 };
  if (result.code !== 0) process.kill(pid, 'SIGTERM');
  if (!(await waitUntil(() => !alive(pid), 150_000))) {
    log('supervisord did not stop within 150 s: killing it');
    process.kill(pid, 'SIGKILL');
  }
}
