/**
 * Process and load-generation helpers for the benches: servers run as child processes from dist/,
 * load comes from autocannon inside the bench process, CPU time is read from /proc.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';

export const run = promisify(execFile);

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

const children = new Set<ChildProcess>();

export interface ServerSpec {
  name: string;
  script: string;
  port: number;
  readyPath: string;
  env: Record<string, string>;
  cwd: string;
  nodeArgs?: string[];
  /** An IPC channel to the child (for the profiler preload); off for measured servers. */
  ipc?: boolean;
}

/** Starts `node [nodeArgs] <script>` with `env` on top of ours and waits until `readyPath` answers 2xx. */
export async function startServer({
  name,
  script,
  port,
  readyPath,
  env,
  cwd,
  nodeArgs = [],
  ipc = false,
}: ServerSpec): Promise<Server> {
  const stdio = ipc ? (['ignore', 'pipe', 'pipe', 'ipc'] as const) : (['ignore', 'pipe', 'pipe'] as const);
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env: { ...process.env, ...env }, stdio: [...stdio] });
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

/** For error messages: did the server die under load, and how? */
const describeExit = (child: ChildProcess) =>
  child.exitCode !== null
    ? `exited with code ${child.exitCode}`
    : child.signalCode
      ? `killed by ${child.signalCode}`
      : 'still running';

export const stopAll = () => Promise.all([...children].map(stopChild));

/** Synchronous last resort for signal handlers, where there is no time to await. */
export const killAllNow = () => children.forEach((c) => c.kill('SIGKILL'));

/** Command name and user + system CPU seconds of a process so far (Linux /proc), or null. */
function procStat(pid: number | string): { comm: string; cpu: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(') ');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), cpu: (Number(fields[11]) + Number(fields[12])) / 100 }; // USER_HZ = 100
  } catch {
    return null;
  }
}

export const cpuSeconds = (pid: number | undefined): number | null => (pid === undefined ? null : (procStat(pid)?.cpu ?? null));

/** CPU seconds so far of each PostgreSQL and Redis process, by pid (empty without /proc). */
function serviceCpuSeconds(): Map<string, number> {
  const byPid = new Map<string, number>();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = procStat(pid);
      if (stat && /^(postgres|redis-server)/.test(stat.comm)) byPid.set(pid, stat.cpu);
    }
  } catch {
    // not Linux: no breakdown
  }
  return byPid;
}

/**
 * CPU the services used between two readings. Per pid, because backends come and go (other
 * clients connect and disconnect): a process gone by the second reading is missed, a new one
 * counts from zero. The bench's own pool connections live through the whole measurement.
 */
function serviceCpuDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/**
 * Newest modification time (ms) of the files under `dirs`. Servers are started from dist/ at
 * different moments of a run; if something rebuilds dist/ meanwhile, later servers run other code
 * than earlier ones, and the report must say so.
 */
export function newestMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) walk(dir);
  return newest;
}

/** Busy cores of the whole machine over the next `ms`. */
async function machineBusyCores(ms: number): Promise<number> {
  const before = machineTimes();
  await new Promise((r) => setTimeout(r, ms));
  const after = machineTimes();
  return ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
}

/**
 * Waits (up to `maxSeconds`) until the machine is nearly idle before measuring: on a shared
 * machine another job's build or test run would otherwise land in one run and not the other.
 * Returns the busy cores seen last; the bench goes on either way and the report shows the disturbance.
 */
export async function waitForQuietMachine(maxSeconds: number, idleBelowCores = 0.3): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  let busy = await machineBusyCores(1000);
  if (busy >= idleBelowCores) console.log(`  waiting up to ${maxSeconds} s for a quiet machine: ${busy.toFixed(2)} cores busy`);
  while (busy >= idleBelowCores && Date.now() < deadline) busy = await machineBusyCores(2000);
  if (busy >= idleBelowCores) console.log(`  still ${busy.toFixed(2)} cores busy: measuring anyway (the report flags it)`);
  return busy;
}

export interface LoadSettings {
  /** Longest wait for a quiet machine before each measurement, in seconds (0: do not wait). */
  quietWaitSeconds: number;
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
  /** The bench process itself (autocannon), in cores: it competes with the server for the same CPUs. */
  loadgenCores: number;
  /** PostgreSQL and Redis processes, in cores. */
  serviceCores: number;
  /** All processes on the machine (server, autocannon, PostgreSQL, Redis, anything else), in busy cores. */
  machineCores: number;
}

/** Busy and total CPU time summed over all cores, in ms, since boot. */
export function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * One warm-up (discarded: JIT, pool connections, caches) then one measurement, same settings for
 * every server. Any non-2xx or socket error invalidates the run: a 429 or 500 answers faster than
 * a real page and would inflate the figure.
 */
export async function measure(server: Server, round: number, s: LoadSettings): Promise<Measurement> {
  const base = { url: server.url + s.path, headers: s.headers, connections: s.connections };
  if (s.quietWaitSeconds > 0) await waitForQuietMachine(s.quietWaitSeconds);
  await autocannon({ ...base, duration: s.warmupSeconds });
  const cpuBefore = cpuSeconds(server.child.pid);
  const ownBefore = process.cpuUsage();
  const machineBefore = machineTimes();
  const servicesBefore = serviceCpuSeconds();
  const result = await autocannon({ ...base, duration: s.durationSeconds });
  const servicesAfter = serviceCpuSeconds();
  const machineAfter = machineTimes();
  const own = process.cpuUsage(ownBefore);
  const cpuAfter = cpuSeconds(server.child.pid);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${server.name}: ${result.non2xx} non-2xx and ${result.errors} errors (${result.timeouts} timeouts) ` +
        `${JSON.stringify(result.statusCodeStats)}; process ${describeExit(server.child)}\n${server.output()}`,
    );
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
    loadgenCores: (own.user + own.system) / 1e6 / result.duration,
    serviceCores: serviceCpuDelta(servicesBefore, servicesAfter) / result.duration,
    machineCores: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * os.cpus().length,
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Replaces the section between `start` and `end` markers of the benchmarks doc, or appends it; creates the file if needed. */
export function writeMarkedSection(path: string, section: string, start: string, end: string): void {
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nPeers and floors measured side by side in one run; ratios, never timing assertions in tests. Each section is written by its bench.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from ? current.slice(0, from) + section + current.slice(to + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

/** The machine a bench ran on, for its report. */
export function machineInfo(): { cpu: string; cores: number; os: string; memoryGb: number; node: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** FLUSHDB when no other client is connected to the database, else `onShared(who)`. */
export async function withOwnRedisDb(redisUrl: string, onShared: (others: string) => void): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const db = Number(new URL(redisUrl).pathname.slice(1) || 0);
    const me = String(await redis.client('ID'));
    const others = String(await redis.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` db=${db} `) && !line.startsWith(`id=${me} `));
    if (others.length > 0)
      return onShared(`${others.length} other client(s) (${others.map((l) => /addr=(\S+)/.exec(l)?.[1] ?? '?').join(', ')})`);
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
