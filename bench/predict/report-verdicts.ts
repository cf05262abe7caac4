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
  const { s, single, batch, floor, lagIdle, lagSingle, lagBatch, singleValid, singleMet } = f;
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
    idleStalls
      ? `**inconclusive**: the api was held up ${f1(typical(lagIdle))} ms at rest too`
      : typical(x) <= LAG_LIMIT_MS
        ? `**met** (${f1(LAG_LIMIT_MS - typical(x))} ms to spare)`
        : `**missed** by ${f1(typical(x) - LAG_LIMIT_MS)} ms`;
  const lagMeasured = (x: LagSummary) =>
    `typical second's p99 **${f1(ms(x.p99Median))} ms**, i.e. held up ${f1(typical(x))} ms (idle ${f1(typical(lagIdle))} ms); ` +
    `worst single delay ${f1(ms(x.max))} ms (idle ${f1(ms(lagIdle.max))} ms)`;
  return [
    '| budget (DESIGN §8) | measured | verdict |',
    '|---|---:|---|',
    `| one text, p99 ≤ ${BUDGETS.singleP99Ms} ms at ${BUDGETS.singleRate} req/s (full stack, client side, from the scheduled send time) | ` +
      `p99 **${f2(single.latencyMs.p99)} ms** at ${f1(single.sendRate)} req/s (p50 ${f2(single.latencyMs.p50)} ms) | ${singleVerdict} |`,
    `| batch ≥ ${f0(BUDGETS.batchTextsPerSecond)} texts/s, full stack (${s.batchSize} texts per request, ${s.connections} connections) | ` +
      `**${f0(batch.itemsPerSecond)} texts/s** | ${batchVerdict(batch.itemsPerSecond, batchValid)} |`,
    `| batch ≥ ${f0(BUDGETS.batchTextsPerSecond)} texts/s, model alone in process (floor, one core) | ` +
      `${f0(floor.batchTextsPerSecond)} texts/s | ${batchVerdict(floor.batchTextsPerSecond)} |`,
    `| inference never stalls the event loop measurably, under single-text load: typical p99 held up ≤ ${LAG_LIMIT_MS} ms beyond the ${ms(LAG_RESOLUTION_S)} ms sampling interval | ` +
      `${lagMeasured(lagSingle)} | ${lagVerdict(lagSingle)} |`,
    `| the same under batch load (${s.connections} batches of ${s.batchSize} in flight) | ${lagMeasured(lagBatch)} | ${lagVerdict(lagBatch)} |`,
  ];
}

/** Why the figures are what they are: one paragraph each for one text, batch and the event loop. */
export function whyParagraphs(r: PredictReport, f: Figures): string[] {
  const { s, single, batch, floor, lagIdle, lagSingle, lagBatch, singleValid, singleMet } = f;
  const { typical, idleStalls, overhead, inferenceUsPerText, serverUsPerText } = f;
  const { serverUsPerSingle, share } = f;
  const context = (cpu: PhaseCpu) =>
    `the api used ${orDash(cpu.serverCores, f2)} cores, the load generator ${f2(cpu.loadgenCores)}, other processes ` +
    `${f2(othersCores(cpu))} (PostgreSQL and Redis included), the machine ${f2(cpu.machineCores)} of ${r.machine.cores}`;
  const why: string[] = [];

  if (singleValid) {
    const inferenceShare = r.single.inference.meanMs / single.latencyMs.p50;
    why.push(
      `**One text.** Client latency p50 ${f2(single.latencyMs.p50)} ms, p99 ${f2(single.latencyMs.p99)} ms. Inference is ${inferenceShare < 0.25 ? 'a small' : 'a large'} part of it: ` +
        `\`predict_duration_seconds{kind="single"}\` has a mean of ${f3(r.single.inference.meanMs)} ms (${pctOf(inferenceShare)} of the ` +
        `median request) and a p99 near ${f3(r.single.inference.p99Ms)} ms; the model alone in process takes p99 ${f3(floor.singleMs.p99)} ms. ` +
        `The rest is the stack around it, ${orDash(serverUsPerSingle, f0)} µs of api CPU per request (key check, a Redis round trip for the ` +
        `rate limit, validation, logging, metrics, JSON; the server's own HTTP timer gives p50 ${f2(r.single.http.p50Ms)} ms, p99 near ` +
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
            `because they waited: inside the api (its own HTTP timer puts the p99 near ${f1(r.single.http.p99Ms)} ms: the Redis round trip ` +
            `for the rate limit, and whatever ran before them on the api's thread — garbage collection, ${gcText(r.single.gc)}, or an ` +
            `event-loop delay of up to ${f1(excessMs(lagSingle.max))} ms beyond the sampling interval)` +
            (othersCores(r.single.cpu) >= DISTURBED_CORES
              ? `, for a core taken by other processes (${f2(othersCores(r.single.cpu))} cores),`
              : '') +
            ` and in the load generator, which shares the machine (above). The miss is in the stack and the path to it, not in inference.`),
    );
  }
  why.push(
    `**Batch.** The model alone classifies ${f0(floor.batchTextsPerSecond)} texts/s on one core (${f1(inferenceUsPerText)} µs per text); ` +
      `through HTTP the api answered ${f0(batch.itemsPerSecond)} texts/s` +
      (overhead >= 1
        ? `, ${f2(overhead)}× less. `
        : ` — more than the in-process floor, so the floor run (after the api stopped) was slowed by other processes; compare with models/REPORT.md. `) +
      (serverUsPerText === null
        ? ''
        : `The api spent ${f1(serverUsPerText)} µs of CPU per text` +
          (share === null
            ? '. '
            : `, so inference is about ${f0(share * 100)} % of its work; the rest is handling around the model: parsing the ` +
              `${s.batchSize}-text JSON body, class-validator running four checks on each of the ${s.batchSize} strings, building and ` +
              `serialising ${s.batchSize} result objects, the yields between ${floor.slice}-text slices, key check, Redis rate limit, logging, metrics. `)) +
      `During the run ${context(r.batch.cpu)}` +
      (r.batch.cpu.serverCores !== null && r.batch.cpu.serverCores >= 0.85
        ? ": the api's one JavaScript thread was saturated, so its CPU per text sets the throughput."
        : ': the api thread was not saturated, so part of the gap is waiting (for a core taken by other processes, for Redis).'),
  );
  const perTurnMs = s.connections * floor.sliceMs.p50;
  const batchLagMet = !idleStalls && typical(lagBatch) <= LAG_LIMIT_MS;
  const singleLagMet = !idleStalls && typical(lagSingle) <= LAG_LIMIT_MS;
  why.push(
    `**Event loop.** In a typical second the p99 of the api's event-loop delay was ${f1(ms(lagIdle.p99Median))} ms at rest, ` +
      `${f1(ms(lagSingle.p99Median))} ms under single-text load and ${f1(ms(lagBatch.p99Median))} ms under batch load, against a ` +
      `${ms(LAG_RESOLUTION_S)} ms sampling interval. The worst single delays (${f1(ms(lagIdle.max))} ms at rest, ${f1(ms(lagSingle.max))} ms ` +
      `single, ${f1(ms(lagBatch.max))} ms batch) are isolated spikes (per-second readings below) that the typical second does not ` +
      `show; their likely causes are the OS giving the api's core to another process (other processes: ${f2(othersCores(r.idle.cpu))} / ` +
      `${f2(othersCores(r.single.cpu))} / ${f2(othersCores(r.batch.cpu))} cores in the three phases) and garbage collection ` +
      `(single: ${gcText(r.single.gc)}; batch: ${gcText(r.batch.gc)}). ` +
      `In process, inference holds the thread ${f3(floor.singleMs.p50)} ms for one text and ${f2(floor.sliceMs.p50)} ms ` +
      `(p99 ${f2(floor.sliceMs.p99)} ms) for one ${floor.slice}-text slice. ` +
      (singleLagMet
        ? 'Under single-text load, inference is invisible in the loop delay. '
        : idleStalls
          ? ''
          : `Under single-text load the loop is held up ${f1(typical(lagSingle))} ms in a typical second although a text takes ` +
            `${f3(floor.singleMs.p50)} ms: the hold is the request handling around inference and the machine, not inference. `) +
      `Under batch load the api yields after every ${floor.slice}-text slice, but with ${s.connections} batches in flight every loop ` +
      `turn runs the next slice of each of them (their setImmediate continuations all run in the same check phase), up to ` +
      `${s.connections} × ${f2(floor.sliceMs.p50)} = ${f1(perTurnMs)} ms of inference per turn, on top of parsing, validating and ` +
      `serialising the requests that arrive in that turn. ` +
      (idleStalls
        ? 'The idle phase was itself held up beyond the limit, so this run cannot judge the criterion; re-run on a quiet machine.'
        : batchLagMet
          ? `That stays within the ${LAG_LIMIT_MS} ms limit.`
          : `That is what a timer waits behind: the slice bounds how long one request holds the thread, not the sum over concurrent ` +
            `batches, so under concurrent batches inference (${share === null ? 'most' : `about ${f0(share * 100)} %`} of the api's CPU ` +
            `in this phase) does hold up the loop measurably, by ${f1(typical(lagBatch))} ms in a typical second.`),
  );
  return why;
}
