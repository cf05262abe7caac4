// Makes PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL on a newcomer's machine.
// Plain Node with no dependencies, because it runs before anything is built.
// Order of preference: whatever already answers; docker compose when an engine runs; Debian's
// packages started without systemd; otherwise a message naming exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';

const say = (message) => process.stderr.write(`[provision] ${message}\n`);

export function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function waitFor(host, port, what, seconds = 30) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(host, port, 250)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start answering on ${host}:${port} within ${seconds}s`);
}

const endpoint = (url, defaultPort) => {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort), url: u };
};

const run = (cmd, args, opts = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status === 0;
const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const has = (cmd) => quiet('sh', ['-c', `command -v ${cmd}`]);
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function dockerEngineRuns() {
  return has('docker') && quiet('docker', ['info']) && existsSync('docker-compose.yml');
}

function aptInstall(packages) {
  const sudo = isRoot() ? [] : has('sudo') && quiet('sudo', ['-n', 'true']) ? ['sudo', '-n'] : null;
  if (!sudo || !has('apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    run(sudo[0] ?? 'apt-get', sudo.length ? ['-n', 'apt-get', ...args] : args, { env });
  say(`installing ${packages.join(', ')} from Debian's packages`);
  if (apt(['install', '-y', '-q', ...packages])) return true;
  // A fresh image often has empty package lists: refresh once and retry.
  return apt(['update', '-q']) && apt(['install', '-y', '-q', ...packages]);
}

function asPostgres(args) {
  const cmd = isRoot() ? 'runuser' : 'sudo';
  const prefix = isRoot() ? ['-u', 'postgres', '--'] : ['-n', '-u', 'postgres'];
  return spawnSync(cmd, [...prefix, ...args], { encoding: 'utf8' });
}

async function startDebianPostgres(db) {
  if (!has('pg_ctlcluster') && !aptInstall(['postgresql'])) return false;
  const clusters = execFileSync('pg_lsclusters', ['-h'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
  let cluster = clusters.find((c) => Number(c[2]) === db.port) ?? clusters[0];
  if (!cluster) {
    const version = execFileSync('sh', ['-c', 'ls /usr/lib/postgresql | sort -n | tail -1'], {
      encoding: 'utf8',
    }).trim();
    run('pg_createcluster', [version, 'main', '--port', String(db.port)]);
    cluster = [version, 'main', String(db.port), 'down'];
  }
  const [version, name] = cluster;
  say(`starting PostgreSQL cluster ${version}/${name} (no systemd needed)`);
  run('pg_ctlcluster', [version, name, 'start']);
  await waitFor(db.host, db.port, 'PostgreSQL');
  return true;
}

/** Creates the login role of DATABASE_URL with CREATEDB, when we provisioned the server. */
function ensureRole(db) {
  const user = decodeURIComponent(db.url.username || 'postgres');
  const password = decodeURIComponent(db.url.password || '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(user))
    throw new Error(`unsupported database user name: ${user}`);
  const literal = password.replaceAll("'", "''");
  const sql = `DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN
      CREATE ROLE ${user} LOGIN CREATEDB PASSWORD '${literal}';
    END IF; END $$;`;
  const result = asPostgres([
    'psql',
    '-p',
    String(db.port),
    '-v',
    'ON_ERROR_STOP=1',
    '-q',
    '-c',
    sql,
  ]);
  if (result.status !== 0) throw new Error(`could not create role ${user}: ${result.stderr}`);
}

async function startRedis(redis) {
  if (!has('redis-server') && !aptInstall(['redis-server'])) return false;
  const dir = resolve('.local/redis');
  mkdirSync(dir, { recursive: true });
  say(`starting redis-server on ${redis.port} (AOF everysec, noeviction, data in ${dir})`);
  run('redis-server', [
    '--port',
    String(redis.port),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'yes',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    dir,
    '--logfile',
    `${dir}/redis.log`,
    '--pidfile',
    `${dir}/redis.pid`,
  ]);
  await waitFor(redis.host, redis.port, 'Redis');
  return true;
}

const HOW_TO =
  'Install and start them yourself, then run the command again:\n' +
  '  Debian/Ubuntu: sudo apt-get install -y postgresql redis-server\n' +
  '  macOS:         brew install postgresql@16 redis && brew services start postgresql@16 redis\n' +
  '  or any machine with Docker: docker compose up -d postgres redis\n' +
  'and point DATABASE_URL / REDIS_URL at them (see .env.example).';

/** Ensures both services answer; returns true when it had to start PostgreSQL itself. */
export async function ensureServices({ databaseUrl, redisUrl }) {
  const db = endpoint(databaseUrl, 5432);
  const redis = endpoint(redisUrl, 6379);
  const dbUp = await canConnect(db.host, db.port);
  const redisUp = await canConnect(redis.host, redis.port);
  if (dbUp && redisUp) return { startedPostgres: false };

  if (dockerEngineRuns()) {
    say('starting postgres and redis with docker compose');
    // Compose's Redis takes the password REDIS_URL carries; none (the default REDIS_URL) is the
    // file's explicit opt-out, REDIS_PASSWORD set but empty. The file also requires a Grafana
    // password, which only the whole stack uses: any value lets it be read for these two services.
    const env = {
      ...process.env,
      REDIS_PASSWORD: decodeURIComponent(redis.url.password),
      GRAFANA_ADMIN_PASSWORD: process.env.GRAFANA_ADMIN_PASSWORD || 'unused-by-postgres-and-redis',
    };
    if (!run('docker', ['compose', 'up', '-d', 'postgres', 'redis'], { env }))
      throw new Error('docker compose up failed');
    await waitFor(db.host, db.port, 'PostgreSQL', 60);
    await waitFor(redis.host, redis.port, 'Redis', 60);
    return { startedPostgres: false };
  }

  const local = (h) => ['127.0.0.1', 'localhost', '::1'].includes(h);
  if ((!dbUp && !local(db.host)) || (!redisUp && !local(redis.host))) {
    throw new Error(
      `Nothing answers at a remote DATABASE_URL/REDIS_URL; this script only starts local services.\n${HOW_TO}`,
    );
  }
  let startedPostgres = false;
  if (!dbUp) {
    if (!existsSync('/etc/debian_version') || !(await startDebianPostgres(db)))
      throw new Error(`PostgreSQL is not running.\n${HOW_TO}`);
    ensureRole(db);
    startedPostgres = true;
  }
  if (!redisUp && !(await startRedis(redis))) throw new Error(`Redis is not running.\n${HOW_TO}`);
  return { startedPostgres };
}

/** Creates the database named in `databaseUrl` when missing (the role needs CREATEDB). */
export async function ensureDatabase(databaseUrl) {
  const { default: pg } = await import('pg');
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      say(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}
