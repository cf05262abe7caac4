// `npm run host:up` / `npm run host:down` (DESIGN §7): the production topology on this machine —
// Supervisor with the top-level supervisord.conf (2 api + 2 worker processes), Nginx with the site
// template of deploy/nginx and a self-signed certificate on 8080/8443, local PostgreSQL and Redis.
// For demos and for the ops tests (test/ops). Plain Node with no dependencies of its own.
//
// Everything it makes lives in .local/host/: tls/ (CA + server certificate, made once), nginx/
// (generated nginx.conf, pid, logs), logs/ (supervisord and program logs), run/ (socket, pid), env
// (the environment supervisord got, for deploy/ctl.sh and deploy/deploy.sh), api-key, current (the
// release Supervisor runs: a symlink to this checkout, which deploy/deploy.sh may switch).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMain, renderSite } from '../../deploy/nginx/render.mjs';
import { appConfig, build, cli, ensureDependencies, prepareDatabase } from './prepare.mjs';
import { canConnect } from './provision.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_PROCS = 2;
const WORKER_PROCS = 2;
const HTTP_PORT = 8080;
const HTTPS_PORT = 8443;
/** Set in the environment of every process host:up starts; host:down finds leftovers by it. */
const MARKER = 'MARKET_SCANNER_HOST';

const say = (message) => process.stderr.write(`[host] ${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Where host:up keeps its files (absolute paths). */
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

// ── prerequisites ────────────────────────────────────────────────────────────────────────────

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** A command's absolute path: PATH first, then the sbin folders a non-root PATH often lacks. */
export function which(cmd) {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return join(d, cmd);
    } catch {
      // not here
    }
  }
  return null;
}

const PACKAGE_OF = { nginx: 'nginx', supervisord: 'supervisor', supervisorctl: 'supervisor', openssl: 'openssl' };

/**
 * Nginx, Supervisor and OpenSSL are present, or installed now from Debian's packages (root or
 * passwordless sudo). Debian's maintainer scripts would also start a system-wide nginx (on :80) and
 * supervisord; a policy-rc.d that says no keeps them from doing so (as in Docker images).
 * Returns `{ ok: true }` or `{ ok: false, reason }`.
 */
export function hostPrerequisites() {
  const missing = Object.keys(PACKAGE_OF).filter((cmd) => !which(cmd));
  if (missing.length === 0) return { ok: true };
  const packages = [...new Set(missing.map((c) => PACKAGE_OF[c]))];
  const advice = `install ${packages.join(', ')} (Debian/Ubuntu: apt-get install ${packages.join(' ')})`;
  const sudo = isRoot() ? [] : which('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : null;
  if (!existsSync('/etc/debian_version') || !which('apt-get'))
    return { ok: false, reason: `${missing.join(', ')} missing and this is not a Debian system: ${advice}` };
  if (!sudo)
    return { ok: false, reason: `${missing.join(', ')} missing and installing needs root or passwordless sudo: ${advice}` };
  const asRoot = (args, opts = {}) =>
    spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', ...opts })
      .status === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) asRoot(['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`]);
  try {
    say(`installing ${packages.join(', ')} from Debian's packages (services not started)`);
    const install = () => asRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages], { env });
    if (!install() && !(asRoot(['apt-get', 'update', '-q'], { env }) && install()))
      return { ok: false, reason: `apt-get install ${packages.join(' ')} failed` };
  } finally {
    if (ownPolicy) asRoot(['rm', '-f', policy]);
  }
  const still = Object.keys(PACKAGE_OF).filter((cmd) => !which(cmd));
  return still.length ? { ok: false, reason: `${still.join(', ')} still missing after apt-get install` } : { ok: true };
}

// ── processes ───────────────────────────────────────────────────────────────────────────────

const alive = (pid) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

const readPid = (file) => {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
};

async function waitUntil(check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * Processes (other than this one) of the host in `dir`: those whose environment carries our marker
 * (supervisord and its programs), the nginx master naming the folder on its command line (it
 * overwrites its environment area with its process title), and the children of either (nginx workers).
 */
export function markedProcesses(dir = hostPaths().dir) {
  const needle = `${MARKER}=${dir}`;
  const all = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!cmd) continue; // a kernel thread or a zombie
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let marked = cmd.startsWith('nginx: master process') && cmd.includes(`${dir}/`);
      if (!marked) marked = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle);
      all.push({ pid, ppid, cmd, marked });
    } catch {
      // gone, or not ours to read
    }
  }
  const ours = new Set(all.filter((p) => p.marked).map((p) => p.pid));
  return all.filter((p) => ours.has(p.pid) || ours.has(p.ppid)).map(({ pid, cmd }) => ({ pid, cmd }));
}

function supervisorctl(paths, env, args) {
  const result = spawnSync(which('supervisorctl'), ['-c', paths.supervisorConf, ...args], { env, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** The environment supervisord runs with; also written to .local/host/env for the deploy scripts. */
function hostEnvironment(paths, config) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const own = {
    NODE_ENV: 'production',
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

const shellQuote = (v) => `'${String(v).replaceAll("'", "'\\''")}'`;

// ── pieces of `up` ───────────────────────────────────────────────────────────────────────────

function ensureCertificate(paths) {
  const result = spawnSync('sh', [join(ROOT, 'deploy/tls/self-signed.sh'), paths.tls, 'localhost', '127.0.0.1', '::1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error('deploy/tls/self-signed.sh failed');
  for (const line of result.stdout.trim().split('\n').filter(Boolean)) say(line);
}

function renderNginx(paths) {
  for (const d of ['logs', 'temp']) mkdirSync(join(paths.nginx, d), { recursive: true });
  mkdirSync(paths.acme, { recursive: true });
  const loopback = ['127.0.0.1'];
  // Listen on ::1 too when this machine has IPv6 (curl tries ::1 first for "localhost").
  if (existsSync('/proc/net/if_inet6') && readFileSync('/proc/net/if_inet6', 'utf8').includes(' lo')) loopback.push('[::1]');
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
    // The per-address backstop; the ops tests raise it so their load generator is not what they measure.
    ratePerSecond: process.env.NGINX_RATE_PER_SECOND ?? 50,
    rateBurst: process.env.NGINX_RATE_BURST ?? 200,
  });
  writeFileSync(paths.nginxSite, site);
  const user = isRoot() ? (spawnSync('id', ['www-data']).status === 0 ? 'www-data' : 'nobody') : null;
  writeFileSync(paths.nginxConf, renderMain({ prefix: paths.nginx, siteFile: paths.nginxSite, user, keepEnv: [MARKER] }));
}

/** Reuses the stored key while it is valid for this database, else creates one (like npm start). */
async function hostKey(paths, config, env) {
  if (existsSync(paths.keyFile)) {
    const key = readFileSync(paths.keyFile, 'utf8').trim();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    const found = await client
      .query('SELECT 1 FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
        createHash('sha256').update(key).digest('hex'),
      ])
      .finally(() => client.end());
    if (found.rowCount === 1) return key;
  }
  const key = cli(['keys', 'create', '--name', 'host', '--scopes', 'read,scan,predict,admin'], env, true);
  writeFileSync(paths.keyFile, `${key}\n`, { mode: 0o600 });
  return key;
}

/** GET over HTTPS with our CA; resolves { status, headers, body } or rejects. */
export function httpsGet(url, ca, headers = {}) {
  return new Promise((done, fail) => {
    const u = new URL(url);
    // 127.0.0.1 (in the certificate) rather than whatever "localhost" resolves to first.
    const req = request(
      { host: '127.0.0.1', servername: 'localhost', port: u.port, path: `${u.pathname}${u.search}`, ca, headers, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => done({ status: res.statusCode, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

async function waitForPrograms(paths, env) {
  const ports = [...paths.apiPorts, ...paths.workerPorts];
  const live = async (port) => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok === true;
  const ok = await waitUntil(async () => {
    const status = supervisorctl(paths, env, ['status']).out;
    if (/FATAL/.test(status)) throw new Error(`a program went FATAL:\n${status}\n${logTails(paths)}`);
    return (await Promise.all(ports.map(live))).every(Boolean);
  }, 90_000);
  if (!ok)
    throw new Error(
      `api/worker processes did not answer /health/live within 90 s:\n${supervisorctl(paths, env, ['status']).out}\n${logTails(paths)}`,
    );
}

function logTails(paths) {
  if (!existsSync(paths.logs)) return '';
  return readdirSync(paths.logs)
    .filter((f) => f.endsWith('.log'))
    .map((f) => `── ${f}\n${readFileSync(join(paths.logs, f), 'utf8').split('\n').slice(-8).join('\n')}`)
    .join('\n');
}

function printSummary(paths, key) {
  const ca = paths.ca.replace(`${ROOT}/`, '');
  process.stdout.write(
    [
      '',
      'Market Scanner runs in its production layout (Supervisor + Nginx):',
      `  HTTPS       ${paths.httpsUrl}/v1/items        (HTTP ${paths.httpUrl} answers 301)`,
      `  WebSocket   wss://localhost:${HTTPS_PORT}/v1/ws`,
      `  CA          ${ca}   (curl --cacert, NODE_EXTRA_CA_CERTS, --ca of the ws client)`,
      `  API key     ${key}   (in ${paths.keyFile.replace(`${ROOT}/`, '')})`,
      `  processes   api-1..${API_PROCS} on 127.0.0.1:${paths.apiPorts.join(',')}; worker-1..${WORKER_PROCS} (health/metrics) on 127.0.0.1:${paths.workerPorts.join(',')}`,
      `  try         curl --cacert ${ca} ${paths.httpsUrl}/health/ready`,
      `              curl --cacert ${ca} -H 'X-API-Key: ${key}' '${paths.httpsUrl}/v1/items?sector=technology&limit=5'`,
      `              node dist/examples/ws-client.js --url wss://localhost:${HTTPS_PORT}/v1/ws --ca ${ca} --key ${key}`,
      `  operate     ENV_FILE=.local/host/env deploy/ctl.sh status     (runbook: docs/operations.md)`,
      `  logs        .local/host/logs/ (Supervisor), .local/host/nginx/logs/ (Nginx)`,
      '  stop        npm run host:down',
      '',
    ].join('\n') + '\n',
  );
}

const redactUrl = (url) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

function readState(paths) {
  try {
    return JSON.parse(readFileSync(join(paths.dir, 'state.json'), 'utf8'));
  } catch {
    return null;
  }
}

const running = (paths) => alive(readPid(paths.supervisordPid)) || alive(readPid(paths.nginxPid));

// ── up / down ────────────────────────────────────────────────────────────────────────────────

export async function up() {
  process.chdir(ROOT);
  ensureDependencies();
  build();
  const pre = hostPrerequisites();
  if (!pre.ok) throw new Error(pre.reason);
  const config = await appConfig();
  const paths = hostPaths();
  const { env, own } = hostEnvironment(paths, config);

  if (running(paths)) {
    const state = readState(paths);
    if (state?.database !== redactUrl(config.databaseUrl) || state?.redis !== redactUrl(config.redisUrl)) {
      throw new Error(`the host is already up against ${state?.database ?? 'another database'}; run npm run host:down first`);
    }
    say('already up; checking it answers');
    const ready = await waitUntil(
      async () => (await httpsGet(`${paths.httpsUrl}/health/ready`, readFileSync(paths.ca)).catch(() => null))?.status === 200,
      30_000,
    );
    if (!ready)
      throw new Error(`already up but ${paths.httpsUrl}/health/ready does not answer 200; run npm run host:down, then up again`);
    printSummary(paths, readFileSync(paths.keyFile, 'utf8').trim());
    return;
  }

  const ports = [HTTP_PORT, HTTPS_PORT, ...paths.apiPorts, ...paths.workerPorts];
  const busy = [];
  for (const port of ports) if (await canConnect('127.0.0.1', port, 300)) busy.push(port);
  if (busy.length)
    throw new Error(
      `port(s) ${busy.join(', ')} already in use on 127.0.0.1: stop what listens there (another checkout's host:up?)`,
    );

  await prepareDatabase(config, env);
  for (const d of [paths.dir, paths.logs, paths.run, paths.state, paths.releases]) mkdirSync(d, { recursive: true });
  const key = await hostKey(paths, config, env);
  ensureCertificate(paths);
  renderNginx(paths);
  // Supervisor runs `current`: this checkout, unless deploy/deploy.sh switched it to a release.
  rmSync(`${paths.current}.tmp`, { force: true });
  symlinkSync(ROOT, `${paths.current}.tmp`);
  renameSync(`${paths.current}.tmp`, paths.current);
  // A scale override of an earlier run (deploy/ctl.sh scale) does not outlive it.
  for (const f of readdirSync(paths.state)) if (f.startsWith('supervisor-')) rmSync(join(paths.state, f));
  writeFileSync(
    paths.envFile,
    `# Written by npm run host:up: the environment of this host's supervisord (for deploy/ctl.sh, deploy/deploy.sh).\n` +
      Object.entries(own)
        .map(([k, v]) => `${k}=${shellQuote(v)}`)
        .join('\n') +
      '\n',
    { mode: 0o600 },
  );
  writeFileSync(
    join(paths.dir, 'state.json'),
    JSON.stringify(
      { database: redactUrl(config.databaseUrl), redis: redactUrl(config.redisUrl), startedAt: new Date().toISOString() },
      null,
      2,
    ),
  );

  try {
    say(`starting supervisord (${API_PROCS} api + ${WORKER_PROCS} worker processes)`);
    const sup = spawnSync(which('supervisord'), ['-c', paths.supervisorConf], { env, stdio: 'inherit' });
    if (sup.status !== 0) throw new Error(`supervisord failed to start (exit ${sup.status})`);
    await waitForPrograms(paths, env);

    say(`starting nginx on :${HTTP_PORT} and :${HTTPS_PORT}`);
    const nginx = which('nginx');
    const args = ['-e', paths.nginxErrorLog, '-c', paths.nginxConf, '-p', `${paths.nginx}/`];
    const test = spawnSync(nginx, ['-t', '-q', ...args], { env, encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
    const started = spawnSync(nginx, args, { env, stdio: 'inherit' });
    if (started.status !== 0) throw new Error(`nginx failed to start (exit ${started.status}); see ${paths.nginxErrorLog}`);

    const ca = readFileSync(paths.ca);
    let last = 'no answer';
    const ready = await waitUntil(async () => {
      const res = await httpsGet(`${paths.httpsUrl}/health/ready`, ca).catch((e) => ({ status: 0, body: e.message }));
      last = `${res.status} ${res.body}`;
      return res.status === 200;
    }, 60_000);
    if (!ready) throw new Error(`${paths.httpsUrl}/health/ready did not answer 200 through nginx within 60 s (last: ${last})`);
  } catch (error) {
    say('start-up failed: stopping what was started');
    await down({ quiet: true });
    throw error;
  }
  printSummary(paths, key);
}

export async function down({ quiet = false } = {}) {
  const paths = hostPaths();
  const log = quiet ? () => {} : say;
  // supervisorctl expands %(ENV_…)s of supervisord.conf: give it the same variables.
  const env = { ...process.env, ...Object.fromEntries(envFileEntries(paths)) };

  const nginxPid = readPid(paths.nginxPid);
  if (alive(nginxPid)) {
    log('stopping nginx (graceful quit)');
    spawnSync(
      which('nginx') ?? 'nginx',
      ['-s', 'quit', '-e', paths.nginxErrorLog, '-c', paths.nginxConf, '-p', `${paths.nginx}/`],
      { env, stdio: 'ignore' },
    );
    if (!(await waitUntil(() => !alive(nginxPid), 10_000))) process.kill(nginxPid, 'SIGTERM');
    await waitUntil(() => !alive(nginxPid), 5_000);
  }

  const supervisordPid = readPid(paths.supervisordPid);
  if (alive(supervisordPid)) {
    // Supervisor stops the api group, then the workers (each drains its scan, ≤ stopwaitsecs).
    log('stopping supervisord and its programs (workers finish their running scan first)');
    const result = supervisorctl(paths, env, ['shutdown']);
    if (result.code !== 0) process.kill(supervisordPid, 'SIGTERM');
    if (!(await waitUntil(() => !alive(supervisordPid), 150_000))) {
      log('supervisord did not stop within 150 s: killing it');
      process.kill(supervisordPid, 'SIGKILL');
    }
  }

  let left = markedProcesses(paths.dir);
  if (left.length) {
    log(`stopping leftovers: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
    for (const p of left) signal(p.pid, 'SIGTERM');
    await waitUntil(() => markedProcesses(paths.dir).length === 0, 10_000);
    for (const p of markedProcesses(paths.dir)) signal(p.pid, 'SIGKILL');
    await waitUntil(() => markedProcesses(paths.dir).length === 0, 5_000);
    left = markedProcesses(paths.dir);
  }
  if (left.length)
    throw new Error(`processes of this host are still running: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
  rmSync(join(paths.dir, 'state.json'), { force: true });
  log('host is down: no nginx, supervisord or app process of it is left (PostgreSQL and Redis keep running, as after npm start)');
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function envFileEntries(paths) {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  const run = command === 'up' ? up : command === 'down' ? down : null;
  if (!run) {
    process.stderr.write('usage: node src/bootstrap/host.mjs up|down\n');
    process.exit(2);
  }
  run().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`\nhost:${command} failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
