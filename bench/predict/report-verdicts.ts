/**
 * The judging part of the predict bench's section: warnings about a disturbed run, the budget table
 * with its verdicts, and the paragraphs that explain the figures.
 */
import {
  BUDGETS,
  DISTURBED_CORES,
  LAG_LIMIT_MS,
  LAG_RESOLUTION_S,
  type PhaseCpu,
  type PredictReport,
} from './report-data.js';
import {
  excessMs,
  f0,
  f1,
  f2,
  f3,
  gcText,
  ms,
  orDash,
  othersCores,
  pctOf,
  type Figures,
} from './report-figures.js';
import { split } from './report-profile.js';
import type { LagSummary } from './traffic.js';

/** Notes above the budget table when other jobs shared the machine. */
export function warnings(r: PredictReport, f: Figures): string[] {
  const { s, floorOthers } = f;
  const phases = [r.idle.cpu, r.single.cpu, r.batch.cpu];
  const worstOthers = Math.max(...phases.map(othersCores), floorOthers);
  const disturbed =
    worstOthers >= DISTURBED_CORES
      ? [
          `> ⚠ Disturbed run: processes other than the api and the bench used up to ${f2(worstOthers)} cores during a phase ` +
            '("other processes" below; PostgreSQL and Redis serving the api are a small part of it). On this 2-core machine that ' +
            'shows as waiting for a core in every figure: re-run on a quiet machine for steadier ones.',
          '',
        ]
      : [];
  const loadNote =
    r.load.loadAtStart[0]! > s.loadMax
      ? [
          `> ⚠ The 1-minute load average was ${r.load.loadAtStart[0]} when measuring started, above ${s.loadMax} after waiting ` +
            `${r.load.waitedSeconds} s: other jobs shared the ${r.machine.cores} cores, so latencies are higher and throughput lower than on a quiet machine.`,
          '',
        ]
      : [];
  return [...loadNote, ...disturbed];
}

/** The budget table of DESIGN §8: what was measured and the verdict on it. */
export function budgetRows(f: Figures): string[] {
  const { s, single, batch, floor, pool, lagIdle, lagSingle, lagBatch, singleValid, singleMet } = f;
  const { typical, idleStalls } = f;
  const singleVerdict = !singleValid
    ? `**invalid run**: ${single.non2xx} non-2xx, ${single.errors} errors, ${f1(single.sendRate)} req/s sent`
    : singleMet
      ? `**met** (${f2(BUDGETS.singleP99Ms - single.latencyMs.p99)} ms of headroom)`
      : `**missed** by ${f2(single.latencyMs.p99 - BUDGETS.singleP99Ms)} ms (${f1(single.latencyMs.p99 / BUDGETS.singleP99Ms)}× the budget)`;
  const batchValid = batch.errors === 0 && batch.non2xx === 0;
  const batchVerdict = (rate: number, valid = true) =>
    !valid
      ? `**invalid run**: ${batch.non2xx} non-2xx, ${batch.errors} errors`
      : rate >= BUDGETS.batchTextsPerSecond
        ? `**met** (${f0((rate / BUDGETS.batchTextsPerSecond) * 100 - 100)} % above)`
        : `**missed** by ${f0(BUDGETS.batchTextsPerSecond - rate)} texts/s (${f0((1 - rate / BUDGETS.batchTextsPerSecond) * 100)} % short)`;
  const lagVerdict = (x: LagSummary) =>
    (typical(x) <= LAG_LIMIT_MS
      ? `**met** (${f1(LAG_LIMIT_MS - typical(x))} ms to spare)`
      : `**missed** by ${f1(typical(x) - LAG_LIMIT_MS)} ms`) +
    (idleStalls
      ? `; but the api was held up ${f1(typical(lagIdle))} ms at rest too: the machine, not the load, sets this run's figure`
      : '');
  const lagMeasured = (x: LagSummary) =>
    `typical second's p99 **${f1(ms(x.p99Median))} ms**, i.e. held up ${f1(typical(x))} ms (idle ${f1(typical(lagIdle))} ms, ` +
    `single-text load ${f1(typical(lagSingle))} ms); worst single delay ${f1(ms(x.max))} ms (idle ${f1(ms(lagIdle.max))} ms)`;
  return [
    '| budget (DESIGN §8) | measured | peer or floor, same run | verdict |',
    '|---|---:|---:|---|',
    `| POST /v1/predict one text, p99 ≤ ${BUDGETS.singleP99Ms} ms at ${BUDGETS.singleRate} req/s (full stack, client side, open loop, from the scheduled send time) | ` +
      `p99 **${f2(single.latencyMs.p99)} ms** at ${f1(single.sendRate)} req/s (p50 ${f2(single.latencyMs.p50)} ms) | ` +
      `inference alone p99 ${f3(floor.singleMs.p99)} ms in process | ${singleVerdict} |`,
    `| event loop held under ${s.connections} concurrent ${s.batchSize}-text batches ≤ ${LAG_LIMIT_MS} ms (typical second's p99 − the ${ms(LAG_RESOLUTION_S)} ms interval) | ` +
      `${lagMeasured(lagBatch)} | at rest ${f1(typical(lagIdle))} ms | ${lagVerdict(lagBatch)} |`,
    `| batch prediction through the full stack ≥ ${f0(BUDGETS.batchTextsPerSecond)} texts/s (${s.batchSize} texts per request, ${s.connections} connections) | ` +
      `**${f0(batch.itemsPerSecond)} texts/s** | the api's batch pool alone, in process: ${f0(pool.textsPerSecond)} texts/s on ${pool.threads} threads ` +
      `(${f0((batch.itemsPerSecond / pool.textsPerSecond) * 100)} % of it); the model on one thread ${f0(floor.batchTextsPerSecond)} | ` +
      `${batchVerdict(batch.itemsPerSecond, batchValid)} |`,
  ];
}

/** Why the figures are what they are: one paragraph each for one text, batch and the event loop. */
export function whyParagraphs(r: PredictReport, f: Figures): string[] {
  const { s, single, batch, floor, pool, lagIdle, lagSingle, lagBatch, singleValid, singleMet } = f;
  const { typical, idleStalls, inferenceUsPerText, serverUsPerText, serverUsPerSingle } = f;
  const context = (cpu: PhaseCpu) =>
    `the api used ${orDash(cpu.serverCores, f2)} cores, the load generator ${f2(cpu.loadgenCores)}, other processes ` +
    `${f2(othersCores(cpu))} (PostgreSQL and Redis included), the machine ${f2(cpu.machineCores)} of ${r.machine.cores}`;
  const why: string[] = [];

  const singleProfile = r.profiles.single;
  const sp = singleProfile ? split(singleProfile) : null;
  if (singleValid) {
    const inferenceShare = r.single.inference.meanMs / single.latencyMs.p50;
    why.push(
      `**One text.** Client latency p50 ${f2(single.latencyMs.p50)} ms, p99 ${f2(single.latencyMs.p99)} ms. Inference is ${inferenceShare < 0.25 ? 'a small' : 'a large'} part of it: ` +
        `\`predict_duration_seconds{kind="single"}\` has a mean of ${f3(r.single.inference.meanMs)} ms (${pctOf(inferenceShare)} of the ` +
        `median request) and a p99 near ${f3(r.single.inference.p99Ms)} ms; the model alone in process takes p99 ${f3(floor.singleMs.p99)} ms. ` +
        `The rest is the stack around it, ${orDash(serverUsPerSingle, f0)} µs of api CPU per request (key check, the rate limit — from a ` +
        `lease, a Redis round trip every 1,024 requests —, validation, logging, metrics, JSON; the server's own HTTP timer gives p50 ${f2(r.single.http.p50Ms)} ms, p99 near ` +
        `${f1(r.single.http.p99Ms)} ms)` +
        (r.single.cpu.machineCores >= r.machine.cores - 0.5
          ? `, plus waiting for a core: at ${s.rate} req/s ${context(r.single.cpu)}. `
          : `; the machine had cores to spare: at ${s.rate} req/s ${context(r.single.cpu)}. `) +
        `The load generator ` +
        `itself sent late by p99 ${f2(single.sendLagMs.p99)} ms (max ${f2(single.sendLagMs.max)} ms), which the latency includes. ` +
        (singleMet
          ? `The budget holds with ${f2(BUDGETS.singleP99Ms - single.latencyMs.p99)} ms to spare.`
          : `${f0(single.overThreshold)} of ${f0(single.ok)} requests (${pctOf(single.overThreshold / single.ok)}) took longer than ` +
            `${BUDGETS.singleP99Ms} ms. With inference at ${f3(r.single.inference.p99Ms)} ms p99 they are not slow because of the model but ` +
            `because they waited: inside the api (its own HTTP timer puts the p99 near ${f1(r.single.http.p99Ms)} ms: whatever ran ` +
            `before them on the api's thread — garbage collection, ${gcText(r.single.gc)}, or an ` +
            `event-loop delay of up to ${f1(excessMs(lagSingle.max))} ms beyond the sampling interval)` +
            (othersCores(r.single.cpu) >= DISTURBED_CORES
              ? `, for a core taken by other processes (${f2(othersCores(r.single.cpu))} cores),`
              : '') +
            ` and in the load generator, which shares the machine (above).` +
            (sp && singleProfile
              ? ` The profile of the api's main thread under this load (below) puts ${f0(singleProfile.mainUsPerUnit)} µs of CPU on each ` +
                `request: the predict path (controller, DTO, model) ${f0(sp.own)} µs, the shared stack ${f0(sp.shared)} µs, the runtime ` +
                `(Node core, V8, GC) ${f0(sp.runtime)} µs. The miss is in the stack and the path to it, not in inference.`
              : ' The miss is in the stack and the path to it, not in inference.')),
    );
  }
  const batchProfile = r.profiles.batch;
  const bp = batchProfile ? split(batchProfile) : null;
  why.push(
    `**Batch.** The api classifies batches on ${pool.threads} worker threads (\`PREDICT_THREADS\`, niced below its event loop). ` +
      `Fed as the bench feeds the api but without HTTP, that pool alone answered ${f0(pool.textsPerSecond)} texts/s in this process, ` +
      `and the model on one thread ${f0(floor.batchTextsPerSecond)} texts/s (${f1(inferenceUsPerText)} µs per text); ` +
      `through HTTP the api answered ${f0(batch.itemsPerSecond)} texts/s (${f0((batch.itemsPerSecond / pool.textsPerSecond) * 100)} % of the pool alone). ` +
      (serverUsPerText === null
        ? ''
        : `The api spent ${f1(serverUsPerText)} µs of CPU per text on all its threads` +
          (bp && batchProfile
            ? `, ${f1(batchProfile.mainUsPerUnit)} µs of it on the main thread: the shared stack ${f1(bp.shared)} µs and the ` +
              `runtime (Node core, V8, GC) ${f1(bp.runtime)} µs — between them parsing the ${s.batchSize}-text body, validating each ` +
              `string, copying texts to a thread and the predictions' JSON text back — and the predict path ${f1(bp.own)} µs ` +
              '(profile below). '
            : '. ')) +
      `During the run ${context(r.batch.cpu)}` +
      (r.batch.cpu.machineCores >= r.machine.cores - 0.3
        ? `: every core was busy, so the machine's ${r.machine.cores} cores, shared by the threads, the main thread, the load ` +
          'generator and everything else running, set the throughput.'
        : ': cores were left idle, so part of the gap is waiting (for a thread, for Redis, for the client).'),
  );
  const batchLagMet = typical(lagBatch) <= LAG_LIMIT_MS;
  why.push(
    `**Event loop.** In a typical second the p99 of the api's event-loop delay was ${f1(ms(lagIdle.p99Median))} ms at rest, ` +
      `${f1(ms(lagSingle.p99Median))} ms under single-text load and ${f1(ms(lagBatch.p99Median))} ms under batch load, against a ` +
      `${ms(LAG_RESOLUTION_S)} ms sampling interval. Inference no longer runs on the loop during a batch: what holds it is each ` +
      `request's own handling on the main thread` +
      (batchProfile
        ? ` (${f0(batchProfile.mainUsPerUnit * s.batchSize)} µs of main-thread CPU per ${s.batchSize}-text request, in pieces: ` +
          'the body is parsed and validated in one go, the answer assembled from the thread’s JSON text in another)'
        : '') +
      `, garbage collection (single: ${gcText(r.single.gc)}; batch: ${gcText(r.batch.gc)}) and the OS giving the api's core to ` +
      `another thread or process (other processes: ${f2(othersCores(r.idle.cpu))} / ${f2(othersCores(r.single.cpu))} / ` +
      `${f2(othersCores(r.batch.cpu))} cores in the three phases; the pool's own threads, niced, yield to the loop). ` +
      `The worst single delays (${f1(ms(lagIdle.max))} ms at rest, ${f1(ms(lagSingle.max))} ms single, ${f1(ms(lagBatch.max))} ms batch) ` +
      'are isolated spikes (per-second readings below). ' +
      (batchLagMet
        ? `The typical hold under batch load, ${f1(typical(lagBatch))} ms, is within the ${LAG_LIMIT_MS} ms budget.`
        : idleStalls
          ? `The typical hold under batch load, ${f1(typical(lagBatch))} ms, misses the ${LAG_LIMIT_MS} ms budget, but the api at rest ` +
            `was held up ${f1(typical(lagIdle))} ms too: on this run the machine, not the batches, sets the figure; re-run on a quiet machine.`
          : `The typical hold under batch load, ${f1(typical(lagBatch))} ms, misses the ${LAG_LIMIT_MS} ms budget: the batch profile ` +
            'below is what the loop runs between two timer ticks.'),
  );
  return why;
}
