/**
 * Per-process CPU and RSS of the host under load, sampled every second from /proc (Linux only).
 *
 * Groups: nginx (master + workers), api-1, api-2, worker-1, worker-2 (pids from supervisorctl),
 * PostgreSQL (the backends of the bench's database plus the server's own background processes;
 * backends of other databases belong to other people's tests and count as "other"), redis-server
 * (shared by everyone on this machine: its figure includes their traffic), and the load generator
 * (this process: it runs on the same 2 cores as everything it measures).
 *
 * CPU is in % of one core (200 % = both cores of this machine); RSS is VmRSS in bytes. The RSS of
 * PostgreSQL is a sum over processes and counts shared buffers once per process that touched them.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  allPids,
  procCommand,
  procMemory,
  procStat,
  TICKS_PER_SECOND,
} from '../../src/bootstrap/host/processes.mjs';
import { machineTimes } from '../kit/machine.js';

export const GROUPS = [
  'nginx',
  'api-1',
  'api-2',
  'worker-1',
  'worker-2',
  'postgres',
  'redis',
  'loadgen',
] as const;
export type Group = (typeof GROUPS)[number];

export interface Sample {
  /** performance.now() at the end of the second this sample covers. */
  at: number;
  cpu: Record<Group, number>;
  rss: Record<Group, number>;
  /** Busy % of one core, whole machine (all processes, ours and everyone else's). */
  machine: number;
  /**
   * % of the second in which some runnable task waited for a core (PSI "some", /proc/pressure/cpu;
   * NaN without it): the direct sign that the cores, not a process, are what requests queue for.
   */
  cpuWait: number;
}

export interface Pids {
  nginxMaster: number;
  programs: Record<'api-1' | 'api-2' | 'worker-1' | 'worker-2', number>;
  database: string;
}

/**
 * The group of a process, or null. PostgreSQL titles its backends "postgres: [cluster: ]user db
 * host(port) state" and its helpers "postgres: [cluster: ]checkpointer" and the like.
 */
function classify(pid: number, comm: string, ppid: number, p: Pids): Group | null {
  if (pid === process.pid) return 'loadgen';
  if (pid === p.nginxMaster || ppid === p.nginxMaster) return 'nginx';
  for (const [name, programPid] of Object.entries(p.programs))
    if (pid === programPid) return name as Group;
  if (comm.startsWith('redis-server')) return 'redis';
  if (comm === 'postgres') {
    const cmd = procCommand(pid);
    if (!cmd) return null;
    const backend =
      /^postgres: (?:[^:]+: )?\S+ (\S+) \S+\(\d+\)/.exec(cmd) ??
      /^postgres: (?:[^:]+: )?\S+ (\S+) \[local\]/.exec(cmd);
    if (backend) return backend[1] === p.database ? 'postgres' : null;
    return 'postgres';
  }
  return null;
}

/** Microseconds some task has waited for a CPU since boot, or NaN (no PSI on this kernel). */
function cpuStallUs(): number {
  try {
    return Number(
      /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? NaN,
    );
  } catch {
    return NaN;
  }
}

const zero = () => Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;

/** Samples every `everyMs` until stopped; a pid is classified once, when first seen. */
export function startSampler(
  pids: Pids,
  everyMs = 1000,
): { samples: Sample[]; stop: () => Sample[] } {
  const samples: Sample[] = [];
  const groupOf = new Map<number, Group | null>();
  let last = new Map<number, number>();
  let lastAt = performance.now();
  let lastMachine = machineTimes();
  let lastStall = cpuStallUs();
  const cores = os.cpus().length;

  const read = () => {
    const ticks = new Map<number, number>();
    const cpu = zero();
    const rss = zero();
    for (const pid of allPids()) {
      let group = groupOf.get(pid);
      if (group === null) continue;
      const s = procStat(pid);
      if (!s) continue;
      if (group === undefined) {
        group = classify(pid, s.comm, s.ppid, pids);
        groupOf.set(pid, group);
        if (group === null) continue;
      }
      ticks.set(pid, s.cpuTicks);
      // A process first seen now counts from its start: it began within the last interval or so.
      cpu[group] += s.cpuTicks - (last.get(pid) ?? 0);
      rss[group] += procMemory(pid, 'VmRSS') || 0;
    }
    return { ticks, cpu, rss };
  };

  // The baseline reading; the first sample covers the interval after it.
  last = read().ticks;
  const timer = setInterval(() => {
    const now = performance.now();
    const seconds = (now - lastAt) / 1000;
    const { ticks, cpu, rss } = read();
    const machine = machineTimes();
    for (const g of GROUPS) cpu[g] = (cpu[g] / TICKS_PER_SECOND / seconds) * 100;
    const busy =
      ((machine.busy - lastMachine.busy) / (machine.total - lastMachine.total)) * cores * 100;
    const stall = cpuStallUs();
    samples.push({
      at: now,
      cpu,
      rss,
      machine: busy,
      cpuWait: ((stall - lastStall) / 1e6 / seconds) * 100,
    });
    lastStall = stall;
    last = ticks;
    lastAt = now;
    lastMachine = machine;
  }, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

export interface GroupLoad {
  /** Mean and highest one-second CPU, % of one core. */
  cpuMean: number;
  cpuMax: number;
  /** Highest RSS seen and RSS at the end of the window, bytes. */
  rssMax: number;
  rssEnd: number;
}

export interface WindowLoad {
  seconds: number;
  groups: Record<Group, GroupLoad>;
  machineMean: number;
  machineMax: number;
  cpuWaitMean: number;
  /** Machine busy % minus the groups: other people's processes (and the kernel's own work). */
  otherMean: number;
}

/** The samples whose second lies inside [from, to], summarised per group. */
export function windowLoad(samples: Sample[], from: number, to: number): WindowLoad {
  const inside = samples.filter((s) => s.at - 1000 >= from - 50 && s.at <= to + 50);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const groups = Object.fromEntries(
    GROUPS.map((g) => [
      g,
      {
        cpuMean: mean(inside.map((s) => s.cpu[g])),
        cpuMax: Math.max(...inside.map((s) => s.cpu[g])),
        rssMax: Math.max(...inside.map((s) => s.rss[g])),
        rssEnd: inside.at(-1)?.rss[g] ?? NaN,
      },
    ]),
  ) as Record<Group, GroupLoad>;
  const machineMean = mean(inside.map((s) => s.machine));
  const ours = GROUPS.reduce((a, g) => a + groups[g].cpuMean, 0);
  return {
    seconds: inside.length,
    groups,
    machineMean,
    machineMax: Math.max(...inside.map((s) => s.machine)),
    cpuWaitMean: mean(inside.map((s) => s.cpuWait)),
    otherMean: Math.max(0, machineMean - ours),
  };
}
