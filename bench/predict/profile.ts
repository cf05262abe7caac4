/**
 * Where the api's main thread spends its CPU under one phase's load: the V8 sampling profiler of
 * bench/http/cpu-profile.preload.ts (loaded into the api, driven over IPC so only the load is
 * profiled), self time summed per part of the code — each app module (apps/api/predict,
 * apps/api/auth, …), each lib, each npm package — and scaled by the main thread's CPU per request
 * from /proc (the sampler counts wall time, which a busy machine inflates; /proc counts CPU).
 * Only the main thread: the batch pool's threads are not sampled (their work is inference, and the
 * event loop's delay is the main thread's).
 */
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { TICKS_PER_SECOND } from '../../src/bootstrap/host/processes.mjs';
import { cpuSeconds } from '../kit/machine.js';
import type { Server } from '../kit/processes.js';

/** CPU seconds of a process's main thread (the event loop; its task id is the pid), null off Linux. */
function mainThreadCpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), utime and stime; `fields` starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The code this bench's budgets belong to (the pool library included: handing batches to threads
 * is the predict path's choice); everything else is the shared request stack.
 */
export const OWN_PARTS = ['apps/api/predict', 'libs/sentiment', 'piscina'];

const PROFILER = '(profiler)';

/** Time in Node's own modules with no caller of ours on the stack, by the innermost such module. */
export const NODE_CORE = 'Node core';

export interface ProfileShare {
  part: string;
  /** Share of the main thread's busy samples. */
  share: number;
  /** CPU per request (or per text) it stands for, µs. */
  us: number;
}

export interface PhaseProfile {
  seconds: number;
  /** Requests (single) or texts (batch) answered while profiling. */
  units: number;
  /** The api's CPU per unit from /proc over the profiled window (all threads), µs. */
  cpuUsPerUnit: number;
  /** The same for the main thread alone (the event loop), µs: what `parts` divides. */
  mainUsPerUnit: number;
  /** Samples taken. */
  samples: number;
  parts: ProfileShare[];
}

/**
 * The part of the code a frame belongs to: dist/apps/api/<module>/ or dist/libs/<lib>/ of ours, the
 * package for node_modules, GC and V8's own buckets. Node core and native frames (JSON, sockets)
 * return null and are charged to their nearest caller that has a part.
 */
function partOf({ functionName, url }: ProfileNode['callFrame']): string | null {
  // The preload's own calls that start and stop the profiler: not the api's work.
  if (url.endsWith('/cpu-profile.preload.js')) return PROFILER;
  if (functionName === '(garbage collector)') return 'V8 garbage collector';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return 'V8 (program, unattributed)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/dist\/(apps\/[^/]+\/[^/]+|libs\/[^/]+)\//.exec(url);
  if (own) return own[1]!;
  if (url.includes('/dist/apps/')) return 'apps/api (bootstrap, app module)';
  return null;
}

export function summarize(profile: CpuProfile, cpuUsPerUnit: number): ProfileShare[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const partById = new Map<number, string>();
  for (const n of profile.nodes) {
    let part: string | null = null;
    // With no caller of ours, the innermost Node module on the stack says what the time was
    // (HTTP parsing, socket reads and writes, timers).
    let nodeModule: string | null = null;
    for (
      let id: number | undefined = n.id;
      id !== undefined && part === null;
      id = parent.get(id)
    ) {
      const frame = byId.get(id)!.callFrame;
      part = partOf(frame);
      if (nodeModule === null && frame.url.startsWith('node:')) nodeModule = frame.url.slice(5);
    }
    partById.set(n.id, part ?? `${NODE_CORE}: ${nodeModule ?? 'native'}`);
  }
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const part = partById.get(id) ?? `${NODE_CORE}: native`;
    totals.set(part, (totals.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  totals.delete('(idle)');
  totals.delete(PROFILER);
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()]
    .map(([part, t]) => ({ part, share: t / busy, us: (t / busy) * cpuUsPerUnit }))
    .sort((a, b) => b.share - a.share);
}

/**
 * Profiles the api's main thread while `load` runs (it returns the units it got answered). The api
 * must run with the preload, an IPC channel and BENCH_CPU_PROFILE=`file`. Profiling slows the
 * api a little: the result is shares, not a measurement of the phase.
 */
export async function profileWhile(
  server: Server,
  file: string,
  load: () => Promise<number>,
): Promise<PhaseProfile> {
  rmSync(file, { force: true });
  server.child.send('bench:profile:start');
  const t0 = performance.now();
  const cpu0 = cpuSeconds(server.child.pid);
  const main0 = mainThreadCpuSeconds(server.child.pid);
  const units = await load();
  const cpu1 = cpuSeconds(server.child.pid);
  const main1 = mainThreadCpuSeconds(server.child.pid);
  const seconds = (performance.now() - t0) / 1000;
  const written = once(server.child, 'message', { signal: AbortSignal.timeout(15_000) });
  server.child.send('bench:profile:stop');
  await written;
  if (cpu0 === null || cpu1 === null || main0 === null || main1 === null)
    throw new Error('no /proc: cannot scale the profile');
  const cpuUsPerUnit = ((cpu1 - cpu0) / Math.max(1, units)) * 1e6;
  const mainUsPerUnit = ((main1 - main0) / Math.max(1, units)) * 1e6;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return {
    seconds,
    units,
    cpuUsPerUnit,
    mainUsPerUnit,
    samples: profile.samples.length,
    parts: summarize(profile, mainUsPerUnit),
  };
}

/** {@link profileWhile}, logged; null when it fails: the profiles explain, losing one must not lose the run. */
export async function profileOrNull(
  server: Server,
  file: string,
  phase: string,
  load: () => Promise<number>,
  log: (line: string) => void,
): Promise<PhaseProfile | null> {
  try {
    const profile = await profileWhile(server, file, load);
    const top = profile.parts.slice(0, 4).map((p) => `${p.part} ${(p.share * 100).toFixed(0)} %`);
    log(`  ${phase.padEnd(10)} profiled: ${top.join(', ')}`);
    return profile;
  } catch (error) {
    console.error(`  ${phase} profile failed: ${(error as Error).message}`);
    return null;
  }
}
