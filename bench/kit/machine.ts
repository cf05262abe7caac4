/**
 * The machine a bench runs on: what it is (for the report), how busy it is (whole machine from
 * os.cpus(), one process from /proc through the host module's reader), and waiting for it to calm
 * down before measuring — on a shared machine another job's build or tests would otherwise land in
 * one measurement and not in the next.
 */
import os from 'node:os';
import {
  allPids,
  procMemory,
  procStat,
  TICKS_PER_SECOND,
} from '../../src/bootstrap/host/processes.mjs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MachineInfo {
  cpu: string;
  cores: number;
  os: string;
  memoryGb: number;
  node: string;
}

/** The machine a bench ran on, for its report. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

export interface MachineTimes {
  busy: number;
  total: number;
}

/** Busy and total CPU time summed over all cores, in ms, since boot. */
export function machineTimes(): MachineTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Busy cores of the whole machine between two readings of machineTimes(). */
export const busyCores = (before: MachineTimes, after: MachineTimes): number =>
  ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;

/** The load averages (1, 5, 15 minutes), rounded to 2 decimals. */
export const loadavg = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100);

/** User + system CPU seconds of a process so far (Linux /proc), or null. */
export const cpuSeconds = (pid: number | undefined): number | null => {
  const stat = pid === undefined ? null : procStat(pid);
  return stat ? stat.cpuTicks / TICKS_PER_SECOND : null;
};

/** VmRSS and VmHWM (its peak so far) of a process, in bytes; null off Linux or once it exited. */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } | null {
  if (pid === undefined) return null;
  const rss = procMemory(pid, 'VmRSS');
  return Number.isNaN(rss) ? null : { rss, peak: procMemory(pid, 'VmHWM') };
}

/** CPU seconds so far of each PostgreSQL and Redis process, by pid (empty without /proc). */
export function serviceCpuSeconds(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const pid of allPids()) {
    const stat = procStat(pid);
    if (stat && /^(postgres|redis-server)/.test(stat.comm))
      byPid.set(pid, stat.cpuTicks / TICKS_PER_SECOND);
  }
  return byPid;
}

/**
 * CPU the services used between two readings. Per pid, because backends come and go (other
 * clients connect and disconnect): a process gone by the second reading is missed, a new one
 * counts from zero. The bench's own pool connections live through the whole measurement.
 */
export function serviceCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

export interface QuietWait {
  waitedSeconds: number;
  /** Busy cores of the machine over the last 2 s before the measurement went ahead. */
  busyCoresBefore: number;
}

/**
 * Waits (up to `maxSeconds`; 0: not at all) until the whole machine is below `belowCores` busy
 * cores over 2 s. The load average lags by a minute; this sees a build or bench that just started.
 * The measurement goes ahead either way and the report shows the disturbance.
 */
export async function waitForQuietMachine(
  maxSeconds: number,
  belowCores: number,
  label: string,
  log: (line: string) => void = console.log,
): Promise<QuietWait> {
  const started = Date.now();
  const sample = async () => {
    const before = machineTimes();
    await sleep(2000);
    return busyCores(before, machineTimes());
  };
  let busy = await sample();
  if (busy >= belowCores && maxSeconds > 0)
    log(`  ${label}: ${busy.toFixed(2)} cores busy, waiting up to ${maxSeconds} s`);
  while (busy >= belowCores && Date.now() - started < maxSeconds * 1000) busy = await sample();
  if (busy >= belowCores)
    log(`  ${label}: still ${busy.toFixed(2)} cores busy, measuring anyway (the report says so)`);
  return {
    waitedSeconds: Math.round((Date.now() - started) / 1000),
    busyCoresBefore: Math.round(busy * 100) / 100,
  };
}

/**
 * Waits (polling every 15 s, up to `maxSeconds`) for the 1-minute load average to drop below
 * `loadMax`. Returns the seconds waited; the bench goes on either way and its report says so.
 */
export async function waitForLowLoad(
  loadMax: number,
  maxSeconds: number,
  label: string,
  log: (line: string) => void = console.log,
): Promise<number> {
  const started = Date.now();
  const load1 = () => os.loadavg()[0]!;
  if (load1() > loadMax && maxSeconds > 0)
    log(
      `load average ${load1().toFixed(2)} > ${loadMax}: waiting up to ${Math.round(maxSeconds)} s before ${label}`,
    );
  while (load1() > loadMax && Date.now() - started < maxSeconds * 1000) await sleep(15_000);
  if (load1() > loadMax)
    log(`load average still ${load1().toFixed(2)}: measuring anyway (the report says so)`);
  return Math.round((Date.now() - started) / 1000);
}
