import { Logger, Optional } from '@nestjs/common';
import { hostname } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import {
  CARRIED_HITS_MAX,
  DrainingWorkerHost,
  parseScanPayload,
  QUEUES,
  toScanHit,
  type NormalizedScanRequest,
  type ScanHit,
  type ScanJobResult,
  type ScanProgress,
  type ScanSummary,
} from '#jobs';
import { scanRuns, scanSymbolsPerSecond, scanSymbolsScanned } from '#observability';
import {
  formatDate,
  isShared,
  ScanRun,
  shareInSteps,
  type RankedHit,
  type ScanParams,
} from '#scan-engine';
import { activeSpan, activeTraceparent, inSpan } from '#tracing';
import { engineParams } from './engine-params.js';
import { BarCacheLoader } from './bar-cache.loader.js';
import { PARTIAL_HITS, PROGRESS_EVERY_MS, ScanProgressReporter } from './scan-progress.reporter.js';
import { ScanResultsWriter } from './scan-results.writer.js';
import { ScanThreads } from './scan-threads.js';
import { selectUniverse } from './universe.js';

/**
 * The BullMQ consumer of the scan queue. It only orchestrates: the writer claims the run, the
 * loader brings the bars of the job's data version, the engine runs in chunks (yielding to the
 * event loop between them so the job lock keeps being renewed — taskforcesh/bullmq#2857) — a large
 * universe split across the scan threads, each share reporting its chunks back here —, the
 * reporter tells the progress, the writer stores the outcome. No scoring math here.
 */
@Processor(QUEUES.scan, {
  // Recorded on every job it takes (job.processedBy): operators and the fault tests see which
  // process ran — or was running — a scan.
  name: `${hostname()}:${process.pid}`,
  // CPU-bound: one scan at a time per process; scale with processes.
  concurrency: 1,
  // A killed worker's job is picked up again within ~10 s instead of the default 30 s.
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 2,
})
export class ScanProcessor extends DrainingWorkerHost {
  private readonly logger = new Logger(ScanProcessor.name);

  constructor(
    private readonly loader: BarCacheLoader,
    private readonly writer: ScanResultsWriter,
    // Absent (the unit specs' processors), every scan runs inline.
    @Optional() private readonly threads?: ScanThreads,
  ) {
    super();
  }

  async process(
    job: Pick<Job, 'data' | 'attemptsMade' | 'updateProgress'> & Partial<Pick<Job, 'progress'>>,
  ): Promise<ScanJobResult> {
    const payload = parseScanPayload(job.data);
    const { scanRunId, request } = payload;
    activeSpan()?.setAttribute('scan.id', scanRunId);
    const log = { scanRunId, requestId: payload.requestId, attempt: job.attemptsMade + 1 };
    // Delivery is at-least-once: a run already completed (or failed, or deleted) is left as it is.
    // The claim's round trip runs while the bars load and the engine scans (it is awaited before
    // anything is written); the frames wait for it, so a finished run gets none.
    const claiming = this.writer.start(scanRunId);
    claiming.catch(() => {}); // awaited below; a scan that fails first must not leave it unhandled
    // A retry's frames start from the previous attempt's last report (the reporter says why).
    const progress = new ScanProgressReporter(
      (frame) => claiming.then((claim) => (claim === null ? undefined : job.updateProgress(frame))),
      undefined,
      job.attemptsMade > 0 ? job.progress : null,
      (error) => this.logger.warn({ ...log, err: error }, 'a scan progress frame was not sent'),
    );

    progress.enter('loading');
    const version = await inStage('loading', () => this.loader.versionFor(payload.dataVersion));
    progress.enter('fetching');
    const { universe, cacheHit } = await inStage('fetching', () => this.loader.load(version));

    progress.startScanning();
    const indexes = selectUniverse(request, universe.instruments, universe.indexOf);
    const params = paramsOrUnrecoverable(request);
    const hitsOf = (hits: RankedHit[]) =>
      hits.map((hit) => toScanHit(hit, universe.instruments[universe.indexOf.get(hit.symbol)!]!));
    const { outcome, computeMs } = await inStage('scanning', async () => {
      if (!this.threads?.splits(indexes.length)) {
        const run = new ScanRun(universe.store, indexes, params);
        const computeMs = await runInChunks(run, () =>
          progress.scanned(run.symbolsScanned, run.universeSize, (limit) =>
            hitsOf(run.partialTop().slice(0, limit)),
          ),
        );
        return { outcome: run.result(), computeMs };
      }
      // Threads read the columns in place: a store not built on SharedArrayBuffers is moved onto
      // them once per data version, column by column (the cache's own columns are let go), in
      // steps with the event loop free between them so the job lock keeps being renewed.
      if (!isShared(universe.store))
        for (const _ of shareInSteps(universe.store)) await yieldToEventLoop();
      const share = Math.ceil(indexes.length / this.threads.size);
      return this.threads.scan(
        universe.store,
        indexes,
        params,
        chunkFor(share),
        PARTIAL_HITS,
        // A frame is sent, not awaited (the reporter says why): nothing for the threads to wait on.
        async (scanned, partial) =>
          progress.scanned(scanned, indexes.length, (limit) => hitsOf(partial(limit))),
        // The tops the threads copy out are only read when a frame goes: at the frames' pace.
        PROGRESS_EVERY_MS,
      );
    });
    const claim = await claiming;
    if (claim === null) {
      this.logger.log(log, 'scan run already finished or unknown: nothing to do');
      return { scanRunId };
    }
    const hits = hitsOf(outcome.hits);

    progress.finalizing(outcome.symbolsScanned, outcome.universeSize, hits);
    const totalMs = progress.elapsedMs();
    const symbolsPerSecond =
      computeMs > 0 ? Math.round((outcome.symbolsScanned / computeMs) * 1000) : 0;
    const summary = {
      statusText: outcome.statusText,
      relaxed: outcome.relaxed,
      universeSize: outcome.universeSize,
      symbolsScanned: outcome.symbolsScanned,
      skippedInsufficientHistory: outcome.skippedInsufficientHistory,
      dataVersion: universe.dataVersion,
      asOf: outcome.asOf === null ? null : formatDate(outcome.asOf),
      metrics: {
        totalMs: round(totalMs),
        computeMs: round(computeMs),
        symbolsPerSecond,
        barCacheHit: cacheHit,
      },
    };
    let completedAt: Date | undefined;
    const written = await inStage('finalizing', () =>
      this.writer.complete(scanRunId, claim, hits, summary, (at) => (completedAt = at)),
    );
    if (!written) {
      // Another attempt claimed the run while this one was cut off (its job lock lapsed and BullMQ
      // gave the job to another worker): that attempt's result stands. Failing this attempt lets
      // BullMQ decide: a worker that lost the job's lock cannot move it (nothing happens); one that
      // still holds it (the other attempt was the late one) retries the job.
      this.logger.warn({ ...log, claim }, 'scan result not written: a later attempt owns the run');
      throw new SupersededAttemptError(scanRunId, claim);
    }
    progress.finish();
    scanSymbolsScanned.inc(outcome.symbolsScanned);
    scanSymbolsPerSecond.set(symbolsPerSecond);
    scanRuns.inc({ outcome: 'completed' });
    this.logger.log(
      { ...log, symbols: outcome.symbolsScanned, hits: hits.length, totalMs: round(totalMs) },
      'scan completed',
    );
    // The job's trace (tracing on) travels back with its result: the api's relay of the completed
    // frame joins it (QueueEvents carries no context of its own).
    return { scanRunId, traceparent: activeTraceparent(), ...carried(completedAt, summary, hits) };
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'scan worker connection error');
  }

  /** After every failed attempt; the run is marked failed only once no retry is left. */
  @OnWorkerEvent('failed')
  async onFailed(
    job: Pick<Job, 'id' | 'data' | 'attemptsMade' | 'opts'> | undefined,
    error: Error,
  ): Promise<void> {
    if (!job) return;
    const final =
      error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { scanRunId: job.id, attempt: job.attemptsMade, final, err: error },
      'scan attempt failed',
    );
    if (!final) return;
    scanRuns.inc({ outcome: 'failed' });
    const scanRunId = (job.data as { scanRunId?: unknown })?.scanRunId;
    if (typeof scanRunId === 'string')
      await this.writer.fail(scanRunId, error.message).catch(() => {});
  }
}

/** This attempt's result was not written: a later attempt of the same run owns it. */
export class SupersededAttemptError extends Error {
  constructor(scanRunId: string, claim: number) {
    super(`scan run ${scanRunId}: attempt ${claim} was superseded by a later attempt`);
    this.name = 'SupersededAttemptError';
  }
}

/** The engine's parameters; a request it refuses (say a date that does not exist) can never succeed. */
function paramsOrUnrecoverable(request: NormalizedScanRequest): ScanParams {
  try {
    return engineParams(request);
  } catch (error) {
    throw new UnrecoverableError(`invalid scan request: ${(error as Error).message}`);
  }
}

/** Symbols per engine chunk for a universe (or a thread's share) of `symbols`: max(25, symbols/40). */
const chunkFor = (symbols: number) => Math.max(25, Math.ceil(symbols / 40));

/**
 * Steps the engine to the end in chunks (chunkFor), calling `afterChunk` and yielding to the event
 * loop after each; returns the engine's own time in milliseconds.
 */
async function runInChunks(run: ScanRun, afterChunk: () => void): Promise<number> {
  const chunk = chunkFor(run.universeSize);
  let computeMs = 0;
  while (!run.done) {
    const started = performance.now();
    run.step(chunk);
    computeMs += performance.now() - started;
    afterChunk();
    await yieldToEventLoop();
  }
  return computeMs;
}

/** The stored result, for the api to answer from the completion event (CarriedScanResult says when). */
const carried = (
  completedAt: Date | undefined,
  summary: ScanSummary,
  hits: ScanHit[],
): Pick<ScanJobResult, 'result'> =>
  completedAt && hits.length <= CARRIED_HITS_MAX
    ? { result: { completedAt: completedAt.toISOString(), summary, hits } }
    : {};

const round = (ms: number) => Math.round(ms * 100) / 100;

/** A stage of the scan as a child span of the job's (the database calls it makes nest in it). */
const inStage = <T>(stage: ScanProgress['stage'], work: () => Promise<T>): Promise<T> =>
  inSpan(`scan ${stage}`, { attributes: { 'scan.stage': stage } }, work);
