import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join, resolve } from 'node:path';
import { waitFor } from '../../support/e2e.js';

/**
 * Helpers for the ops specs: they drive `npm run host:up` / `host:down` (src/bootstrap/host.mjs)
 * and talk to the host only from outside, through Nginx on 8080/8443, openssl and supervisorctl.
 */
export const HOST_DIR = resolve('.local/host');
export const CA_FILE = join(HOST_DIR, 'tls/ca.pem');
export const ENV_FILE = join(HOST_DIR, 'env');
export const HTTPS_PORT = 8443;
export const HTTP_PORT = 8080;
export const API_PORTS = [3001, 3002];
export const WORKER_PORTS = [3101, 3102];

export interface Run {
  code: number | null;
  out: string;
}

/** Runs a command to completion (bounded), capturing stdout and stderr together. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

const hostState = (): { database?: string } | null => {
  try {
    return JSON.parse(readFileSync(join(HOST_DIR, 'state.json'), 'utf8')) as { database?: string };
  } catch {
    return null;
  }
};

/**
 * `host:up` with extra environment. A host left up by an earlier test run (a `_test` database) is
 * taken down first; one running against another database is someone's demo: refuse to touch it.
 */
export async function hostUp(env: Record<string, string>): Promise<{ key: string; ca: Buffer }> {
  const state = hostState();
  if (state) {
    if (!/_test(\?|$)/.test(state.database ?? ''))
      throw new Error(`a host is up against ${state.database}: run npm run host:down first`);
    await hostDown();
  }
  const up = await run(process.execPath, ['src/bootstrap/host.mjs', 'up'], env, 300_000);
  if (up.code !== 0) throw new Error(`host:up failed (${up.code}):\n${up.out}`);
  return { key: readFileSync(join(HOST_DIR, 'api-key'), 'utf8').trim(), ca: readFileSync(CA_FILE) };
}

export async function hostDown(): Promise<Run> {
  return run(process.execPath, ['src/bootstrap/host.mjs', 'down'], {}, 240_000);
}

/** supervisorctl through deploy/ctl.sh (the operator's command), with the host's environment. */
export function ctl(...args: string[]): Promise<Run> {
  return run('sh', ['deploy/ctl.sh', ...args], { ENV_FILE }, 180_000);
}

/** `name → {state, pid}` from `supervisorctl status`. */
export async function programs(): Promise<Map<string, { state: string; pid: number | null }>> {
  const { out } = await ctl('status');
  const map = new Map<string, { state: string; pid: number | null }>();
  for (const line of out.trim().split('\n')) {
    const [name, state] = line.split(/\s+/);
    if (!name || !state) continue;
    map.set(name, { state, pid: Number(/pid (\d+)/.exec(line)?.[1]) || null });
  }
  return map;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to Nginx (127.0.0.1, certificate checked against our CA for "localhost"). */
export function https(
  path: string,
  opts: { ca: Buffer; method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent },
): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: HTTPS_PORT,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca: opts.ca,
        agent: opts.agent,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', fail);
    req.end(opts.body);
  });
}

/**
 * GETs through Nginx from `concurrency` keep-alive loops until `stop()`; every answer other than
 * 200 (or a network error) is a failure. Bounded by `maxMs` in any case.
 */
export function getStream(path: string, opts: { ca: Buffer; key: string; concurrency?: number; maxMs?: number }) {
  const agent = new Agent({ keepAlive: true, ca: opts.ca, maxSockets: opts.concurrency ?? 4 });
  const failures: string[] = [];
  let ok = 0;
  let stopped = false;
  const deadline = Date.now() + (opts.maxMs ?? 60_000);
  const loop = async () => {
    while (!stopped && Date.now() < deadline) {
      try {
        const res = await https(path, { ca: opts.ca, agent, headers: { 'X-API-Key': opts.key } });
        if (res.status === 200) ok++;
        else failures.push(`${res.status} ${res.body.slice(0, 200)}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 4 }, loop);
  return {
    get ok() {
      return ok;
    },
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return { ok, failures };
    },
  };
}

/** Waits until the stream has `n` more successful answers than now. */
export async function moreAnswers(stream: { ok: number }, n: number, timeoutMs = 20_000): Promise<void> {
  const target = stream.ok + n;
  await waitFor(() => stream.ok >= target, timeoutMs, `${n} more successful GETs`);
}

/** `openssl s_client` against Nginx's TLS port; resolves its output and exit code. */
export function sClient(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${HTTPS_PORT}`, '-servername', 'localhost', '-CAfile', CA_FILE, ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
    child.stdin.end('');
  });
}

/** The serial number of the certificate Nginx serves now. */
export async function servedSerial(): Promise<string> {
  const { out } = await sClient(['-showcerts']);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0];
  if (!pem) throw new Error(`no certificate in s_client output:\n${out}`);
  const parsed = spawnSync('openssl', ['x509', '-noout', '-serial'], { input: pem, encoding: 'utf8' });
  return parsed.stdout.trim();
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Local TCP ports in LISTEN state with their bound address (from /proc/net/tcp and tcp6). */
export function listeners(): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [addr, port] = local.split(':');
      const p = parseInt(port!, 16);
      found.set(p, [...(found.get(p) ?? []), addr!]);
    }
  }
  return found;
}

/** The pid among `pids` owning the TCP connection whose local port is `port` (a database client). */
export function pidOfLocalPort(port: number, pids: number[]): number | null {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** Pids of live processes in process group `pgid` (a stopped program must leave none). */
export function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 5 of /proc/PID/stat, counted after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * Processes of the host in .local/host, found the way host:down finds them: host:up's marker in the
 * environment, the folder on the command line (the nginx master), or a parent that is either.
 */
export function markedProcesses(): number[] {
  const needle = `MARKET_SCANNER_HOST=${HOST_DIR}`;
  const all: { pid: number; ppid: number; marked: boolean }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmd.trim()) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const marked =
        (cmd.startsWith('nginx: master process') && cmd.includes(`${HOST_DIR}/`)) ||
        readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(needle);
      all.push({ pid: Number(entry), ppid, marked });
    } catch {
      // gone
    }
  }
  const ours = new Set(all.filter((p) => p.marked).map((p) => p.pid));
  return all.filter((p) => ours.has(p.pid) || ours.has(p.ppid)).map((p) => p.pid);
}
