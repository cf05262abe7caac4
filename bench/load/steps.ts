/**
 * Step load: the mix at growing scale until the host stops keeping up, and what gave out first.
 *
 * Each step sends for `seconds`, then stops and waits for its answers before it is judged: a step
 * starts with no backlog of the one before, so each figure belongs to one offered rate, and a
 * shortfall shows as achieved < offered (answers that did not arrive inside the window).
 */
import type { Group, Sample, WindowLoad } from './procs.js';
import { GROUPS, windowLoad } from './procs.js';
import type { OpenLoop, WindowStats } from '../kit/open-loop.js';
import { windowStats } from '../kit/open-loop.js';

export interface StepSettings {
  /** Scale of the first step (1 = the mixed phase's rates) and the factor between steps. */
  startScale: number;
  factor: number;
  seconds: number;
  maxSteps: number;
  /** Bisection steps between the last step that held and the first that failed. */
  refine: number;
  /** A step fails when achieved < minRatio × offered, … */
  minRatio: number;
  /** … or the p99 of the interactive requests (all but new scans) exceeds this, ms, … */
  p99LimitMs: number;
  /** … or the p99 of new scans (POST → completed) exceeds this, ms, or any error appears. */
  scanP99LimitMs: number;
}

export interface Step {
  scale: number;
  total: WindowStats;
  interactive: WindowStats;
  scans: WindowStats | null;
  perEndpoint: WindowStats[];
  load: WindowLoad;
  failures: string[];
  /** A bisection step (run after the first failure), not one of the × factor series. */
  refine?: boolean;
}

/**
 * The p99 criteria split the traffic in two: a new scan answers when its 505-symbol run is done (a
 * different scale from a page read), so its latency has a limit of its own.
 */
export function judge(
  loop: OpenLoop,
  samples: Sample[],
  scanEndpoint: number,
  from: number,
  to: number,
  s: StepSettings,
  scale: number,
): Step {
  const all = loop.endpoints.map((_, j) => j);
  const interactiveIdx = all.filter((j) => j !== scanEndpoint);
  const total = windowStats(loop.records, 'all', null, from, to);
  const interactive = windowStats(loop.records, 'interactive', interactiveIdx, from, to);
  const scans =
    scanEndpoint >= 0 ? windowStats(loop.records, 'new scans', [scanEndpoint], from, to) : null;
  const failures: string[] = [];
  if (total.achieved < s.minRatio * total.offered)
    failures.push(
      `achieved ${total.achieved.toFixed(0)} < ${Math.round(s.minRatio * 100)} % of offered ${total.offered.toFixed(0)} req/s`,
    );
  if (interactive.latency.p99 > s.p99LimitMs)
    failures.push(`interactive p99 ${interactive.latency.p99.toFixed(0)} ms > ${s.p99LimitMs} ms`);
  if (scans && scans.latency.p99 > s.scanP99LimitMs)
    failures.push(`new-scan p99 ${scans.latency.p99.toFixed(0)} ms > ${s.scanP99LimitMs} ms`);
  if (total.errorCount > 0) failures.push(`${total.errorCount} errors`);
  return {
    scale,
    total,
    interactive,
    scans,
    perEndpoint: all.map((j) => windowStats(loop.records, loop.endpoints[j]!.name, [j], from, to)),
    load: windowLoad(samples, from, to),
    failures,
  };
}

/**
 * Runs steps × `factor` until one fails or `maxSteps` ran, then narrows the gap between the last
 * step that held and the first that failed by `refine` bisections (geometric means): a factor of
 * 1.5 alone would leave the saturation point anywhere within 50 %.
 */
export async function stepLoad(
  loop: OpenLoop,
  samples: Sample[],
  scanEndpoint: number,
  s: StepSettings,
  log: (line: string) => void,
): Promise<Step[]> {
  const steps: Step[] = [];
  const once = async (scale: number, refine: boolean) => {
    const { from, to } = await loop.run(scale, s.seconds);
    await loop.drain();
    const step = { ...judge(loop, samples, scanEndpoint, from, to, s, scale), refine };
    steps.push(step);
    log(
      `  ${refine ? 'refine' : 'step'} ×${scale.toFixed(2)}: offered ${step.total.offered.toFixed(0)}, achieved ${step.total.achieved.toFixed(0)} req/s, ` +
        `p50 ${step.interactive.latency.p50.toFixed(1)} / p99 ${step.interactive.latency.p99.toFixed(1)} ms, ` +
        `machine ${step.load.machineMean.toFixed(0)} %, CPU wait ${step.load.cpuWaitMean.toFixed(0)} %` +
        (step.failures.length ? ` — ${step.failures.join('; ')}` : ''),
    );
    return step.failures.length === 0;
  };
  let good = 1; // the mixed phase's scale; the caller runs it first
  let bad: number | null = null;
  for (let i = 0, scale = s.startScale; i < s.maxSteps; i++, scale *= s.factor) {
    if (!(await once(scale, false))) {
      bad = scale;
      break;
    }
    good = scale;
  }
  for (let i = 0; bad !== null && i < s.refine; i++) {
    const mid = Math.sqrt(good * bad);
    if (await once(mid, true)) good = mid;
    else bad = mid;
  }
  return steps.sort((a, b) => a.scale - b.scale);
}

/** Ceiling of a group, % of one core: one JavaScript thread for Node and Redis; PostgreSQL (a process per connection) and Nginx (a worker per core) can use every core. */
const ceiling = (g: Group, cores: number) =>
  g === 'nginx' || g === 'postgres' ? cores * 100 : 100;

export interface Saturation {
  /** The highest step that held, or null when none did. */
  lastGood: Step | null;
  /** The lowest failing step above it, or null when every step held. */
  firstBad: Step | null;
  /** What reached its ceiling first, in words, with the figures that show it. */
  cause: string;
  /** Groups by CPU share of their ceiling at the failing step, highest first. */
  ranking: { group: Group; cpu: number; share: number }[];
}

/**
 * At the first failing step: a process at its own ceiling (≥ 90 %), and/or the machine's cores
 * (≥ 80 % busy, or a runnable task waiting for a core half the time: past that, run-queue waits
 * grow steeply and every process slows down, none of them at its own limit); else no CPU limit.
 */
export function saturation(steps: Step[], cores: number): Saturation {
  const lastGood = [...steps].reverse().find((s) => s.failures.length === 0) ?? null;
  const firstBad =
    steps.find((s) => s.failures.length > 0 && s.scale > (lastGood?.scale ?? 0)) ?? null;
  const at = firstBad ?? steps.at(-1);
  if (!at) return { lastGood, firstBad, cause: 'no step ran', ranking: [] };
  const ranking = GROUPS.map((group) => ({
    group,
    cpu: at.load.groups[group].cpuMean,
    share: at.load.groups[group].cpuMean / ceiling(group, cores),
  })).sort((a, b) => b.share - a.share);
  const top = [...ranking]
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, 4)
    .map((r) => `${r.group} ${r.cpu.toFixed(0)} %`)
    .join(', ');
  const others =
    at.load.otherMean >= 20 ? `; other people's processes ${at.load.otherMean.toFixed(0)} %` : '';
  const machine = at.load.machineMean;
  const wait = at.load.cpuWaitMean;
  const machineText =
    `${machine.toFixed(0)} % of ${cores * 100} % busy` +
    (Number.isFinite(wait)
      ? `, a runnable task waiting for a core ${wait.toFixed(0)} % of the time`
      : '');
  const pinned = ranking.filter((r) => r.share >= 0.9);
  const pinnedText = pinned
    .map((r) => `${r.group} at ${r.cpu.toFixed(0)} % of its ${ceiling(r.group, cores)} %`)
    .join(', ');
  let cause: string;
  if (!firstBad)
    cause = `not reached within ${steps.length} steps (machine ${machineText} at the last)`;
  else if (machine >= cores * 100 * 0.8 || wait >= 50)
    cause =
      `the machine's CPU: ${machineText} at the failing step; ` +
      (pinned.length
        ? pinnedText
        : `no process at its own ceiling (largest: ${top}; load generator included)`) +
      others;
  else if (pinned.length) cause = `${pinnedText}, with the machine ${machineText}${others}`;
  else
    cause = `no CPU ceiling (machine ${machineText}; largest: ${top}): requests queue elsewhere (connections, pools, the scan queue)`;
  return { lastGood, firstBad, cause, ranking };
}
