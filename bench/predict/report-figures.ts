/**
 * The number formats of the predict bench's section and the figures derived from a run that its
 * verdicts, explanations and tables share.
 */
import { summarizeLag, type LagSummary } from './traffic.js';
import {
  BUDGETS,
  LAG_LIMIT_MS,
  LAG_RESOLUTION_S,
  type GcReading,
  type PhaseCpu,
  type PredictReport,
} from './report-data.js';

export const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
export const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : '–');
export const pctOf = (x: number) => (x < 0.01 ? '< 1 %' : `${Math.round(x * 100)} %`);
export const orDash = (n: number | null, fmt: (n: number) => string) => (n === null ? '–' : fmt(n));
export const ms = (seconds: number) => seconds * 1000;
/** Busy cores of processes other than the api and the bench process (PostgreSQL, Redis, other jobs, the kernel). */
export const othersCores = (cpu: PhaseCpu) =>
  Math.max(0, cpu.machineCores - (cpu.serverCores ?? 0) - cpu.loadgenCores);
/** Event-loop delay beyond the monitor's sampling interval, ms (never below 0). */
export const excessMs = (seconds: number) => Math.max(0, ms(seconds - LAG_RESOLUTION_S));
/** Garbage collections by kind, with their total time and the long ones; "none" when there were none. */
export const gcText = (gc: GcReading[]): string =>
  gc
    .filter((g) => g.count > 0)
    .map(
      (g) =>
        `${f0(g.count)} ${g.kind} (${f1(g.totalMs)} ms in all${g.over10ms > 0 ? `, ${g.over10ms} over 10 ms` : ''})`,
    )
    .join(', ') || 'none';

/** Figures derived from a run: validity, event-loop summaries, CPU per request and per text. */
export function figures(r: PredictReport) {
  const s = r.settings;
  const single = r.single.result;
  const batch = r.batch.result;
  const floor = r.inProcess;
  const pool = r.pool;
  const lagIdle = summarizeLag(r.idle.lag);
  const singleValid =
    single.errors === 0 && single.non2xx === 0 && single.sendRate >= 0.98 * s.rate;
  const typical = (x: LagSummary) => excessMs(x.p99Median);
  const serverUsPerText =
    r.batch.cpu.serverCpuSeconds === null
      ? null
      : (r.batch.cpu.serverCpuSeconds / batch.items) * 1e6;
  const inferenceUsPerText = 1e6 / floor.batchTextsPerSecond;
  return {
    s,
    single,
    batch,
    floor,
    pool,
    lagIdle,
    lagSingle: summarizeLag(r.single.lag),
    lagBatch: summarizeLag(r.batch.lag),
    singleValid,
    singleMet: singleValid && single.latencyMs.p99 <= BUDGETS.singleP99Ms,
    // Other processes on the cores during a load phase: the OS then preempts the api, which reads as event-loop delay.
    floorOthers: Math.max(0, floor.cpu.machineCores - floor.cpu.benchCores),
    typical,
    // At rest the api has nothing to run: a typical hold that long can only be the machine.
    idleStalls: typical(lagIdle) > LAG_LIMIT_MS,
    overhead: floor.batchTextsPerSecond / batch.itemsPerSecond,
    inferenceUsPerText,
    serverUsPerText,
    serverUsPerSingle:
      r.single.cpu.serverCpuSeconds === null
        ? null
        : (r.single.cpu.serverCpuSeconds / single.ok) * 1e6,
    share:
      serverUsPerText !== null && serverUsPerText > inferenceUsPerText
        ? inferenceUsPerText / serverUsPerText
        : null,
  };
}

export type Figures = ReturnType<typeof figures>;
