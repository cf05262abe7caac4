import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { DrainingWorkerHost, parseScanPayload, QUEUES, toScanHit, type ScanProgress } from '#jobs';
import { scanRuns, scanStageDuration, scanSymbolsPerSecond, scanSymbolsScanned } from '#observability';
import { formatDate, parseDate, ScanRun, type RankedHit } from '#scan-engine';
import { BarCacheLoader } from './bar-cache.loader.js';
import { ScanResultsWriter } from './scan-results.writer.js';
import { selectUniverse } from './universe.js';

/** Stage weights of DESIGN §4: loading 5 %, fetching 20 %, scanning 70 %, finalizing 5 %. */
const STAGE_START = { loading: 0, fetching: 5, scanning: 25, finalizing: 95 } as const;
/**
 * Progress carries at most this many live hits (DESIGN §4 allows up to maxSymbols). Every progress
 * event goes through Redis to every api process and stays in the queue's event stream: 500-hit
 * frames every 10 ms were ~10 MiB per scan, and the stream keeps the last events of every scan
 * (docs/decisions.md). A phone shows the top of the list while a scan runs; `completed` has it all.
 */
export const PARTIAL_HITS = 25;
/** Progress frames at most this often (plus one per stage), so a fast scan is not slowed by Redis calls. */
const PROGRESS_EVERY_MS = 10;

/**
 * The BullMQ consumer of the scan queue: loads inputs, drives the engine in chunks (yielding to the
 * event loop between chunks so the job lock keeps being renewed — taskforcesh/bullmq#2857), writes
 * results, reports progress. No scoring math here.
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
  ) {
    super();
  }

  async process(job: Job): Promise<{ scanRunId: string }> {
    const payload = parseScanPayload(job.data);
    const { scanRunId, request } = payload;
    const log = { scanRunId, requestId: payload.requestId, attempt: job.attemptsMade + 1 };
    if (!(await this.writer.start(scanRunId))) {
      this.logger.log(log, 'scan run already finished or unknown: nothing to do');
      return { scanRunId };
    }
    const started = performance.now();
    let lastReport = 0;
    const report = async (progress: ScanProgress, force = false) => {
      const now = performance.now();
      if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      await job.updateProgress(progress);
    };

    await report({ stage: 'loading', percent: STAGE_START.loading, symbolsScanned: 0, universeSize: 0, etaSeconds: null, partial: [] }, true);
    const loadStarted = performance.now();
    const dataVersion = await this.loader.currentDataVersion();
    scanStageDuration.observe({ stage: 'loading' }, (performance.now() - loadStarted) / 1000);

    await report({ stage: 'fetching', percent: STAGE_START.fetching, symbolsScanned: 0, universeSize: 0, etaSeconds: null, partial: [] }, true);
    const fetchStarted = performance.now();
    const { universe, cacheHit } = await this.loader.load();
    scanStageDuration.observe({ stage: 'fetching' }, (performance.now() - fetchStarted) / 1000);

    const indexes = selectUniverse(request, universe.instruments, universe.indexOf);
    const run = new ScanRun(universe.store, indexes, {
      profile: request.profile,
      minTechRating: request.minTechRating,
      maxSymbols: request.maxSymbols,
      asOf: request.asOf ? parseDate(request.asOf) : undefined,
      accountSize: request.accountSize,
      riskPct: request.riskPct,
      targetRR: request.targetRR,
    });
    const hitsOf = (hits: RankedHit[]) => hits.map((h) => toScanHit(h, universe.instruments[universe.indexOf.get(h.symbol)!]!));
    const chunk = Math.max(25, Math.ceil(indexes.length / 40));
    const scanStarted = performance.now();
    let computeMs = 0;
    while (!run.done) {
      const t = performance.now();
      run.step(chunk);
      computeMs += performance.now() - t;
      const fraction = run.universeSize === 0 ? 1 : run.symbolsScanned / run.universeSize;
      const elapsed = (performance.now() - scanStarted) / 1000;
      await report({
        stage: 'scanning',
        percent: Math.round((STAGE_START.scanning + 70 * fraction) * 10) / 10,
        symbolsScanned: run.symbolsScanned,
        universeSize: run.universeSize,
        etaSeconds: fraction > 0 ? Math.round((elapsed / fraction - elapsed) * 100) / 100 : null,
        partial: hitsOf(run.partialTop().slice(0, PARTIAL_HITS)),
      });
      await yieldToEventLoop();
    }
    scanStageDuration.observe({ stage: 'scanning' }, (performance.now() - scanStarted) / 1000);

    const outcome = run.result();
    const hits = hitsOf(outcome.hits);
    await report({ stage: 'finalizing', percent: STAGE_START.finalizing, symbolsScanned: run.symbolsScanned, universeSize: run.universeSize, etaSeconds: 0, partial: hits.slice(0, PARTIAL_HITS) }, true);
    const finalizeStarted = performance.now();
    const totalMs = performance.now() - started;
    const symbolsPerSecond = computeMs > 0 ? Math.round((run.symbolsScanned / computeMs) * 1000) : 0;
    await this.writer.complete(scanRunId, hits, {
      statusText: outcome.statusText,
      relaxed: outcome.relaxed,
      universeSize: outcome.universeSize,
      symbolsScanned: outcome.symbolsScanned,
      skippedInsufficientHistory: outcome.skippedInsufficientHistory,
      dataVersion: Math.max(dataVersion, universe.dataVersion),
      asOf: outcome.asOf === null ? null : formatDate(outcome.asOf),
      metrics: { totalMs: round(totalMs), computeMs: round(computeMs), symbolsPerSecond, barCacheHit: cacheHit },
    });
    scanStageDuration.observe({ stage: 'finalizing' }, (performance.now() - finalizeStarted) / 1000);
    scanStageDuration.observe({ stage: 'total' }, (performance.now() - started) / 1000);
    scanSymbolsScanned.inc(run.symbolsScanned);
    scanSymbolsPerSecond.set(symbolsPerSecond);
    scanRuns.inc({ outcome: 'completed' });
    this.logger.log({ ...log, symbols: run.symbolsScanned, hits: hits.length, totalMs: round(totalMs) }, 'scan completed');
    return { scanRunId };
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, 'scan worker connection error');
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn({ scanRunId: job.id, attempt: job.attemptsMade, final, err: error }, 'scan attempt failed');
    if (!final) return;
    scanRuns.inc({ outcome: 'failed' });
    const scanRunId = (job.data as { scanRunId?: unknown })?.scanRunId;
    if (typeof scanRunId === 'string') await this.writer.fail(scanRunId, error.message).catch(() => {});
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
