// @ts-check
// Where `npm run host:up` keeps its files and which ports its processes use: the one description of
// the host's layout that host:up, host:down, the ops tests and bench:load all read.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this file holding a package.json. This module runs
 * from src/bootstrap/host/ (host:up) and from its compiled copy under dist/ (tests, benches), so a
 * fixed number of `..` would be right for one of them only.
 */
function findRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = findRoot();
export const API_PROCS = 2;
export const WORKER_PROCS = 2;
export const HTTP_PORT = 8080;
export const HTTPS_PORT = 8443;
/** Set in the environment of every process host:up starts; host:down finds leftovers by it. */
export const MARKER = 'MARKET_SCANNER_HOST';

/**
 * @typedef {object} HostPaths
 * @property {string} dir the host's folder (.local/host)
 * @property {string} tls
 * @property {string} ca the CA certificate clients trust
 * @property {string} nginx
 * @property {string} nginxConf
 * @property {string} nginxSite
 * @property {string} nginxPid
 * @property {string} nginxErrorLog
 * @property {string} logs Supervisor's and the programs' logs
 * @property {string} run
 * @property {string} state
 * @property {string} stateFile what host:up started against (state.json)
 * @property {string} supervisordPid
 * @property {string} envFile supervisord's environment, for deploy/ctl.sh and deploy/deploy.sh
 * @property {string} keyFile
 * @property {string} current the release Supervisor runs (a symlink)
 * @property {string} releases
 * @property {string} acme
 * @property {string} supervisorConf
 * @property {string} httpsUrl
 * @property {string} httpUrl
 * @property {number[]} apiPorts
 * @property {number[]} workerPorts
 */

/**
 * Where host:up keeps its files (absolute paths) and the ports it serves on.
 * @param {string} [dir]
 * @returns {HostPaths}
 */
export function hostPaths(dir = join(ROOT, '.local/host')) {
  return {
    dir,
    tls: join(dir, 'tls'),
    ca: join(dir, 'tls/ca.pem'),
    nginx: join(dir, 'nginx'),
    nginxConf: join(dir, 'nginx/nginx.conf'),
    nginxSite: join(dir, 'nginx/site.conf'),
    nginxPid: join(dir, 'nginx/nginx.pid'),
    nginxErrorLog: join(dir, 'nginx/logs/error.log'),
    logs: join(dir, 'logs'),
    run: join(dir, 'run'),
    state: join(dir, 'state'),
    stateFile: join(dir, 'state.json'),
    supervisordPid: join(dir, 'run/supervisord.pid'),
    envFile: join(dir, 'env'),
    keyFile: join(dir, 'api-key'),
    current: join(dir, 'current'),
    releases: join(dir, 'releases'),
    acme: join(dir, 'acme'),
    supervisorConf: join(ROOT, 'supervisord.conf'),
    httpsUrl: `https://localhost:${HTTPS_PORT}`,
    httpUrl: `http://localhost:${HTTP_PORT}`,
    apiPorts: Array.from({ length: API_PROCS }, (_, i) => 3001 + i),
    workerPorts: Array.from({ length: WORKER_PROCS }, (_, i) => 3101 + i),
  };
}

/**
 * Every port host:up listens on: Nginx's two, then the api and worker processes'.
 * @param {HostPaths} [paths]
 */
export const hostPorts = (paths = hostPaths()) => [
  HTTP_PORT,
  HTTPS_PORT,
  ...paths.apiPorts,
  ...paths.workerPorts,
];
