/**
 * One measurement of bench:http: autocannon (closed loop, N connections) against one server, with
 * the CPU of everything that competes for the machine's cores read around it.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import {
  cpuSeconds,
  machineTimes,
  serviceCpuDelta,
  serviceCpuSeconds,
  waitForQuietMachine,
} from '../kit/machine.js';
import { describeExit, type Server } from '../kit/processes.js';
import { median } from '../kit/stats.js';
import type { Summary } from './report.js';

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

/**
 * One warm-up (discarded: JIT, pool connections, caches) then one measurement, same settings for
 * every server. Any non-2xx or socket error invalidates the run: a 429 or 500 answers faster than
 * a real page and would inflate the figure.
 */
export async function measure(
  server: Server,
  round: number,
  s: LoadSettings,
): Promise<Measurement> {
  const base = { url: server.url + s.path, headers: s.headers, connections: s.connections };
  if (s.quietWaitSeconds > 0) await waitForQuietMachine(s.quietWaitSeconds, 0.3, server.name);
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
    machineCores:
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
      os.cpus().length,
  };
}

/** The medians of one server's runs. */
export function summarize(server: string, runs: Measurement[]): Summary {
  const mine = runs.filter((m) => m.server === server);
  const cpu = mine.map((m) => m.serverCpuUsPerReq);
  const cores = mine.map((m) => m.serverCores);
  return {
    server,
    medianReqPerSec: median(mine.map((m) => m.reqPerSec)),
    bestReqPerSec: Math.max(...mine.map((m) => m.reqPerSec)),
    p50Ms: median(mine.map((m) => m.p50Ms)),
    p99Ms: median(mine.map((m) => m.p99Ms)),
    cpuUsPerReq: cpu.every((c) => c !== null) ? median(cpu as number[]) : null,
    cores: cores.every((c) => c !== null) ? median(cores as number[]) : null,
    loadgenCores: median(mine.map((m) => m.loadgenCores)),
    serviceCores: median(mine.map((m) => m.serviceCores)),
    machineCores: median(mine.map((m) => m.machineCores)),
  };
}

/** One run as the bench prints it. */
export const line = (m: Measurement) =>
  `  round ${m.round} ${m.server.padEnd(5)} ${m.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${m.p50Ms.toFixed(1)} ms  p99 ${m.p99Ms.toFixed(1)} ms` +
  (m.serverCpuUsPerReq === null ? '' : `  ${m.serverCpuUsPerReq.toFixed(0)} µs CPU/req`);
