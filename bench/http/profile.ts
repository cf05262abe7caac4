/**
 * A brief CPU profile of a server under load: samples taken by bench/http/cpu-profile.preload.ts,
 * self time summed per component (npm package, Node core, app code, GC), busiest first.
 */
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { cpuSeconds, waitForQuietMachine } from '../kit/machine.js';
import type { Server } from '../kit/processes.js';
import type { LoadSettings } from './measure.js';

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

/** npm packages that make up request logging (nestjs-pino → pino-http → pino, redaction, serializers). */
export const LOGGING_PACKAGES =
  /^(nestjs-pino|pino|pino-http|pino-std-serializers|@pinojs\/redact|fast-redact|sonic-boom|thread-stream)$/;

export interface ProfileShare {
  component: string;
  /** Share of the busy (non-idle) CPU time. */
  share: number;
  /** CPU per request served while profiling, in µs: `share` × the process's measured CPU per request. */
  usPerReq: number;
}

const PROFILER = '(profiler)';

/** Frames with no caller to charge: the event loop itself, reading sockets, timers. */
export const NODE_CORE = 'Node core (event loop, socket reads; no package on the stack)';

/**
 * Which part of the process a stack frame belongs to: node_modules paths give the package, dist/
 * the app's own code. Node core (`node:`) and native frames (JSON, RegExp, socket writes) return
 * null: they are charged to whoever called them.
 */
function componentOf({ functionName, url }: ProfileNode['callFrame']): string | null {
  if (functionName === '(garbage collector)') return 'V8 garbage collector';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return 'V8 (program, unattributed)';
  // The profiler's own stop (building the profile) is sampled too: not the server's work.
  if (url.includes('/cpu-profile.preload.')) return PROFILER;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.includes('/dist/')) return 'app code (dist/)';
  return null;
}

/**
 * Each frame's component is that of its nearest ancestor with one: a socket write issued by
 * ioredis counts as ioredis, the JSON.stringify of a reply as fastify. That answers "which layer
 * costs what"; self time of Node core and natives alone would be one large anonymous bucket.
 */
function componentsById(nodes: ProfileNode[]): Map<number, string> {
  const parent = new Map<number, number>();
  for (const n of nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const result = new Map<number, string>();
  for (const n of nodes) {
    let component: string | null = null;
    for (
      let id: number | undefined = n.id;
      id !== undefined && component === null;
      id = parent.get(id)
    ) {
      component = componentOf(byId.get(id)!.callFrame);
    }
    result.set(n.id, component ?? NODE_CORE);
  }
  return result;
}

/**
 * Self time per component, largest first. The sampler counts wall time on the stack, which a busy
 * machine inflates whenever the thread is descheduled; so shares come from the samples and the µs
 * from `cpuUsPerReq`, the process's real CPU per request (from /proc) over the same window.
 */
export function summarizeProfile(profile: CpuProfile, cpuUsPerReq: number): ProfileShare[] {
  const byId = componentsById(profile.nodes);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const component = byId.get(id) ?? 'unknown';
    totals.set(component, (totals.get(component) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  totals.delete('(idle)');
  totals.delete(PROFILER);
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()]
    .map(([component, t]) => ({ component, share: t / busy, usPerReq: (t / busy) * cpuUsPerReq }))
    .sort((a, b) => b.share - a.share);
}

/**
 * Warm-up, then `seconds` of load with the profiler on. The server must have been started with
 * the preload, an IPC channel and BENCH_CPU_PROFILE=file. Profiling slows the server: the figures are shares, not a run.
 */
export async function profileUnderLoad(
  server: Server,
  s: LoadSettings,
  seconds: number,
  file: string,
): Promise<ProfileShare[]> {
  const base = { url: server.url + s.path, headers: s.headers, connections: s.connections };
  rmSync(file, { force: true });
  if (s.quietWaitSeconds > 0) await waitForQuietMachine(s.quietWaitSeconds, 0.3, server.name);
  await autocannon({ ...base, duration: s.warmupSeconds });
  server.child.send('bench:profile:start');
  const cpuBefore = cpuSeconds(server.child.pid);
  const result = await autocannon({ ...base, duration: seconds });
  const cpuAfter = cpuSeconds(server.child.pid);
  const written = once(server.child, 'message', { signal: AbortSignal.timeout(15_000) });
  server.child.send('bench:profile:stop');
  await written;
  if (cpuBefore === null || cpuAfter === null)
    throw new Error('no /proc: cannot scale the profile to CPU time');
  const cpuUsPerReq = ((cpuAfter - cpuBefore) / result.requests.total) * 1e6;
  return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, cpuUsPerReq);
}
