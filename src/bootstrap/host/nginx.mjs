// @ts-check
// The host's Nginx: the site template of deploy/nginx rendered for 8080/8443, inside a private
// nginx.conf of the host's folder, started and stopped as the master process of that config.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMain, renderSite } from '../../../deploy/nginx/render.mjs';
import { API_PROCS, HTTP_PORT, HTTPS_PORT, MARKER } from './layout.mjs';
import { alive, readPid, waitUntil } from './processes.mjs';
import { isRoot, required, which } from './prerequisites.mjs';

/**
 * render.mjs is untyped: TypeScript infers `keepEnv: never[]` from its default `[]`.
 * @type {(o: { prefix: string, siteFile: string, user: string | null, keepEnv: string[] }) => string}
 */
const renderNginxConf = /** @type {any} */ (renderMain);

/**
 * Writes nginx/site.conf and nginx/nginx.conf of the host's folder.
 * @param {import('./layout.mjs').HostPaths} paths
 */
export function renderNginx(paths) {
  for (const d of ['logs', 'temp']) mkdirSync(join(paths.nginx, d), { recursive: true });
  mkdirSync(paths.acme, { recursive: true });
  const loopback = ['127.0.0.1'];
  // Listen on ::1 too when this machine has IPv6 (curl tries ::1 first for "localhost").
  if (
    existsSync('/proc/net/if_inet6') &&
    readFileSync('/proc/net/if_inet6', 'utf8').includes(' lo')
  )
    loopback.push('[::1]');
  const site = renderSite({
    serverName: 'localhost',
    httpListen: loopback.map((a) => `${a}:${HTTP_PORT}`),
    httpsListen: loopback.map((a) => `${a}:${HTTPS_PORT}`),
    httpsRedirectPort: HTTPS_PORT,
    certificate: join(paths.tls, 'server.pem'),
    certificateKey: join(paths.tls, 'server.key'),
    apiProcs: API_PROCS,
    acmeRoot: paths.acme,
    accessLog: join(paths.nginx, 'logs/access.log'),
    // The per-address limits (render.mjs's EDGE_LIMITS when unset); the ops tests raise the request
    // rate so their load generator is not what they measure, the fault suite raises all of them.
    ratePerSecond: process.env.NGINX_RATE_PER_SECOND,
    rateBurst: process.env.NGINX_RATE_BURST,
    readyRatePerSecond: process.env.NGINX_READY_RATE_PER_SECOND,
    readyBurst: process.env.NGINX_READY_BURST,
    connectionsPerAddress: process.env.NGINX_CONNECTIONS_PER_ADDRESS,
  });
  writeFileSync(paths.nginxSite, site);
  const user = isRoot()
    ? spawnSync('id', ['www-data']).status === 0
      ? 'www-data'
      : 'nobody'
    : null;
  writeFileSync(
    paths.nginxConf,
    renderNginxConf({ prefix: paths.nginx, siteFile: paths.nginxSite, user, keepEnv: [MARKER] }),
  );
}

/**
 * The options that name this host's nginx: its error log, config and prefix.
 * @param {import('./layout.mjs').HostPaths} paths
 */
const own = (paths) => ['-e', paths.nginxErrorLog, '-c', paths.nginxConf, '-p', `${paths.nginx}/`];

/**
 * Tests the rendered config, then starts the master (it daemonises and writes nginx.pid).
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 */
export function startNginx(paths, env) {
  const nginx = required('nginx');
  const test = spawnSync(nginx, ['-t', '-q', ...own(paths)], { env, encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
  const started = spawnSync(nginx, own(paths), { env, stdio: 'inherit' });
  if (started.status !== 0)
    throw new Error(`nginx failed to start (exit ${started.status}); see ${paths.nginxErrorLog}`);
}

/**
 * Graceful quit (connections in progress finish), SIGTERM after 10 s; no-op when it is not running.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {NodeJS.ProcessEnv} env
 * @param {(message: string) => void} log
 */
export async function stopNginx(paths, env, log) {
  const pid = readPid(paths.nginxPid);
  if (!pid || !alive(pid)) return;
  log('stopping nginx (graceful quit)');
  spawnSync(which('nginx') ?? 'nginx', ['-s', 'quit', ...own(paths)], { env, stdio: 'ignore' });
  if (!(await waitUntil(() => !alive(pid), 10_000))) process.kill(pid, 'SIGTERM');
  await waitUntil(() => !alive(pid), 5_000);
}
