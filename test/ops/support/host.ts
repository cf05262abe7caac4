import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent } from 'node:https';
import { ctl as hostCtl, runHost } from '../../../src/bootstrap/host/control.mjs';
import { hostPaths, HTTP_PORT, HTTPS_PORT } from '../../../src/bootstrap/host/layout.mjs';
import {
  allPids,
  capture,
  markedProcesses as hostProcesses,
  procStat,
  type Captured,
} from '../../../src/bootstrap/host/processes.mjs';
import { readState } from '../../../src/bootstrap/host/state.mjs';
import { parseStatus } from '../../../src/bootstrap/host/supervisor.mjs';
import { httpsRequest, type Reply } from '../../../src/bootstrap/host/tls.mjs';
import { waitFor } from '../../support/e2e.js';

/**
 * Helpers for the ops specs: they drive `npm run host:up` / `host:down` (src/bootstrap/host.mjs)
 * and talk to the host only from outside, through Nginx on 8080/8443, openssl and supervisorctl.
 * Paths, ports, the /proc readers and the HTTPS client are the host module's own (src/bootstrap/host/).
 */
const paths = hostPaths();
export const HOST_DIR = paths.dir;
export const CA_FILE = paths.ca;
export const ENV_FILE = paths.envFile;
export { alive } from '../../../src/bootstrap/host/processes.mjs';
export { HTTP_PORT, HTTPS_PORT, type Reply };
export const API_PORTS = paths.apiPorts;
export const WORKER_PORTS = paths.workerPorts;

export type Run = Captured;

/** Runs a command to completion (bounded), capturing stdout and stderr together. */
export const run = (
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<Run> => capture(cmd, args, { env, timeoutMs });

/**
 * `host:up` with extra environment. A host left up by an earlier test run (a `_test` database) is
 * taken down first; one running against another database is someone's demo: refuse to touch it.
 */
export async function hostUp(env: Record<string, string>): Promise<{ key: string; ca: Buffer }> {
  const state = readState(paths);
  if (state) {
    if (!/_test(\?|$)/.test(state.database ?? ''))
      throw new Error(`a host is up against ${state.database}: run npm run host:down first`);
    await hostDown();
  }
  const up = await runHost('up', env);
  if (up.code !== 0) throw new Error(`host:up failed (${up.code}):\n${up.out}`);
  return { key: readFileSync(paths.keyFile, 'utf8').trim(), ca: readFileSync(CA_FILE) };
}

export const hostDown = (): Promise<Run> => runHost('down');

/** supervisorctl through deploy/ctl.sh (the operator's command), with the host's environment. */
export const ctl = (...args: string[]): Promise<Run> => hostCtl(args);

/** `name → {state, pid}` from `supervisorctl status`. */
export async function programs(): Promise<Map<string, { state: string; pid: number | null }>> {
  return parseStatus((await ctl('status')).out);
}

/** One HTTPS request to Nginx (127.0.0.1, certificate checked against our CA for "localhost"). */
export function https(
  path: string,
  opts: {
    ca: Buffer;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: Agent;
  },
): Promise<Reply> {
  return httpsRequest(path, { ...opts, timeoutMs: 10_000 });
}

/**
 * GETs through Nginx from `concurrency` keep-alive loops until `stop()`; every answer other than
 * 200 (or a network error) is a failure. Bounded by `maxMs` in any case.
 */
export function getStream(
  path: string,
  opts: { ca: Buffer; key: string; concurrency?: number; maxMs?: number },
) {
  const agent = new Agent({ keepAlive: true, ca: opts.ca, maxSockets: opts.concurrency ?? 4 });
  const failures: string[] = [];
  let ok = 0;
  let stopped = false;
  // Only a backstop for a test that forgets stop(): as long as the longest test using it (a rolling
  // deploy.sh --restart took 65 s on a loaded machine, and a stream that ended before it could never
  // count the GETs after it).
  const deadline = Date.now() + (opts.maxMs ?? 180_000);
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
export async function moreAnswers(
  stream: { ok: number },
  n: number,
  timeoutMs = 20_000,
): Promise<void> {
  const target = stream.ok + n;
  await waitFor(() => stream.ok >= target, timeoutMs, `${n} more successful GETs`);
}

/** `openssl s_client` against Nginx's TLS port; resolves its output and exit code. */
export function sClient(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${HTTPS_PORT}`,
        '-servername',
        'localhost',
        '-CAfile',
        CA_FILE,
        ...args,
      ],
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
    // s_client may have exited already (a refused handshake): the closed pipe is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end('');
  });
}

/** The serial number of the certificate Nginx serves now. */
export async function servedSerial(): Promise<string> {
  const { out } = await sClient(['-showcerts']);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0];
  if (!pem) throw new Error(`no certificate in s_client output:\n${out}`);
  const parsed = spawnSync('openssl', ['x509', '-noout', '-serial'], {
    input: pem,
    encoding: 'utf8',
  });
  return parsed.stdout.trim();
}

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
  return allPids().filter((pid) => {
    const stat = procStat(pid);
    return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

/** Pids of the processes of the host in .local/host, found the way host:down finds them. */
export const markedProcesses = (): number[] => hostProcesses(HOST_DIR).map((p) => p.pid);
