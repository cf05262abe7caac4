/**
 * Process and load-generation helpers for the benches: servers run as child processes from dist/,
 * load comes from autocannon inside the bench process, CPU time is read from /proc.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export const run = promisify(execFile);

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

const children = new Set<ChildProcess>();

/** Starts `node <script>` with `env` on top of ours and waits until `readyPath` answers 2xx. */
export async function startServer(name: string, script: string, port: number, readyPath: string, env: Record<string, string>, cwd: string): Promise<Server> {
  const child = spawn(process.execPath, [script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Kept (bounded) for the error message if the server dies or never becomes ready.
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await fetch(url + readyPath).catch(() => null))?.ok) return { name, url, child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`${name} did not become ready on ${url}${readyPath}:\n${output}`);
}

/** SIGTERM, then SIGKILL after 5 s: a bench must never leave servers holding its ports. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export const stopAll = () => Promise.all([...children].map(stopChild));

/** Synchronous last resort for signal handlers, where there is no time to await. */
export const killAllNow = () => children.forEach((c) => c.kill('SIGKILL'));

/** User + system CPU seconds of a process so far (Linux /proc), or null elsewhere. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export interface LoadSettings {
  path: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface Measurement {
  server: string;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server CPU per request in µs (null when /proc is unavailable). */
  serverCpuUsPerReq: number | null;
  /** Server CPU utilisation over the measurement, in cores. */
  serverCores: number | null;
}

/**
 * One warm-up (discarded: JIT, pool connections, caches) then one measurement, same settings for
 * every server. Any non-2xx or socket error invalidates the run: a 429 or 500 answers faster than
 * a real page and would inflate the figure.
 */
export async function measure(server: Server, round: number, s: LoadSettings): Promise<Measurement> {
  const base = { url: server.url + s.path, headers: s.headers, connections: s.connections };
  await autocannon({ ...base, duration: s.warmupSeconds });
  const cpuBefore = cpuSeconds(server.child.pid);
  const result = await autocannon({ ...base, duration: s.durationSeconds });
  const cpuAfter = cpuSeconds(server.child.pid);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${server.name}: ${result.non2xx} non-2xx and ${result.errors} errors ${JSON.stringify(result.statusCodeStats)}\n${server.output()}`);
  }
  const cpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  return {
    server: server.name,
    round,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuUsPerReq: cpu === null ? null : (cpu / result.requests.total) * 1e6,
    serverCores: cpu === null ? null : cpu / result.duration,
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
