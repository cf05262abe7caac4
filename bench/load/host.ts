/**
 * The production topology for `npm run bench:load`: `host:up` (src/bootstrap/host.mjs) with limits
 * raised, the bench's own Redis database and API key, the pids to sample, and the way back down.
 *
 * On this shared machine the bench never takes over a host it did not start: a host already up
 * (someone's demo, another checkout's tests) or a Redis database with other clients makes it refuse.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { run, withOwnRedisDb } from '../support.js';

export const HOST_PORTS = [8080, 8443, 3001, 3002, 3101, 3102];

/**
 * What host:up gets on top of the environment: the bench measures capacity, not the limiters.
 * 1,000,000 per minute is the schema's maximum, far above any rate here, and every request still
 * increments its counter in Redis (the limiter's cost stays in the figures). Nginx's per-address
 * backstop is raised the same way: all the load comes from one address.
 */
export const RAISED_LIMITS: Record<string, string> = {
  RATE_LIMIT_ITEMS_READ: '1000000',
  RATE_LIMIT_PREDICT: '1000000',
  RATE_LIMIT_SCANS_CREATE: '1000000',
  RATE_LIMIT_SCANS_READ: '1000000',
  NGINX_RATE_PER_SECOND: '100000',
  NGINX_RATE_BURST: '100000',
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });

/** Refuses (throws) when any host:up port answers or this checkout's host has a state file. */
export async function assertNoHost(root: string): Promise<void> {
  const busy: number[] = [];
  for (const port of HOST_PORTS) if (await portOpen(port)) busy.push(port);
  if (busy.length)
    throw new Error(
      `port(s) ${busy.join(', ')} answer: a host is already up (a demo or another checkout's tests). ` +
        'The bench does not take it over: wait until it is down (run the bench under flock /tmp/ms-host.lock).',
    );
  if (existsSync(join(root, '.local/host/state.json')))
    throw new Error('.local/host/state.json exists: this checkout has a host up or half down; run npm run host:down first');
}

/** FLUSHDB when no other client is on the database (withOwnRedisDb, as bench:scan), else throws or warns. */
export async function claimRedisDb(redisUrl: string, onShared: 'throw' | 'warn'): Promise<void> {
  await withOwnRedisDb(redisUrl, (others) => {
    const message = `Redis ${redisUrl} has ${others}: choose a free database with LOAD_REDIS_URL`;
    if (onShared === 'throw') throw new Error(message);
    console.error(`left it as it is: ${message}`);
  });
}

/** Runs `node src/bootstrap/host.mjs up|down` with `env` on top of ours; throws with its output on failure. */
function host(root: string, verb: 'up' | 'down', env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/bootstrap/host.mjs', verb], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`host:${verb} exited with ${code}:\n${output}`))));
  });
}

export const hostUp = (root: string, env: Record<string, string>) => host(root, 'up', env);
export const hostDown = (root: string) => host(root, 'down', {});

/** supervisorctl status through the operator's wrapper, with the host's environment. */
export async function supervisorStatus(root: string): Promise<string> {
  // supervisorctl exits non-zero when a program is not RUNNING (the unstarted stdout listener): keep its output.
  const result = await run('sh', ['deploy/ctl.sh', 'status'], {
    cwd: root,
    env: { ...process.env, ENV_FILE: join(root, '.local/host/env') },
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return result.stdout;
}

export const nginxMasterPid = (root: string) => Number(readFileSync(join(root, '.local/host/nginx/nginx.pid'), 'utf8').trim());

export const hostCa = (root: string) => readFileSync(join(root, '.local/host/tls/ca.pem'));

const cli = (root: string, databaseUrl: string, ...args: string[]) =>
  run(process.execPath, ['dist/src/cli.js', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } });

/** A key of the bench's own with only the scopes the app's traffic needs (no admin). */
export async function createKey(root: string, databaseUrl: string): Promise<string> {
  return (await cli(root, databaseUrl, 'keys', 'create', '--name', 'bench-load', '--scopes', 'read,scan,predict')).stdout.trim();
}

export async function revokeKey(root: string, databaseUrl: string, key: string): Promise<void> {
  const prefix = key.slice(4, 12); // msk_<8-character prefix>_<secret>
  await cli(root, databaseUrl, 'keys', 'revoke', prefix).catch((e: Error) =>
    console.error(`could not revoke bench key ${prefix}: ${e.message}`),
  );
}
