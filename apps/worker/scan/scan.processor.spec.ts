import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { NormalizedScanRequest, ScanHit, ScanJobPayloadV2, ScanProgress } from '#jobs';
import { BarStoreBuilder } from '#scan-engine';
import type { BarCacheLoader, InstrumentRow, LoadedUniverse } from './bar-cache.loader.js';
import type { ScanResultsWriter } from './scan-results.writer.js';
import { ScanProcessor } from './scan.processor.js';

/**
 * The processor's decisions with hand-made fakes: a loader holding a small in-memory universe, a
 * writer keeping runs in a Map, a job recording its progress. No Redis, no PostgreSQL.
 */

// The processor logs every failed attempt; the assertions say what matters here.
before(() => Logger.overrideLogger(false));

const RUN_ID = '00000000-0000-4000-8000-000000000001';
const SYMBOLS = 60;

/** 60 calm, liquid, rising symbols with 260 weekday bars each: enough history, several engine chunks. */
function universe(dataVersion: number): LoadedUniverse {
  const builder = new BarStoreBuilder(SYMBOLS * 260);
  const instruments: InstrumentRow[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `T${String(s).padStart(2, '0')}`;
    instruments.push({
      symbol,
      name: `Test ${s}`,
      sector: s % 2 ? 'Energy' : 'Utilities',
      active: true,
    });
    const day = new Date(Date.UTC(2017, 0, 2));
    for (let k = 0; k < 260; day.setUTCDate(day.getUTCDate() + 1)) {
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const close = (20 + s) * (1 + 0.002 * k) * (1 + 0.01 * Math.sin(k / 4 + s));
      const date = day.getUTCFullYear() * 10000 + (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
      builder.append(
        symbol,
        date,
        close * 0.998,
        close * 1.006,
        close * 0.994,
        close,
        1e6 + 1e4 * s,
      );
      k++;
    }
  }
  const store = builder.build();
  return {
    dataVersion,
    store,
    instruments,
    indexOf: new Map(store.symbols.map((s, i) => [s, i])),
    loadMs: 0,
  };
}

/** Holds one universe, like the bar cache after its first load. */
class FakeLoader {
  readonly asked: string[] = [];
  constructor(private readonly held: LoadedUniverse) {}
  async versionFor(requested: number): Promise<number> {
    this.asked.push(`versionFor ${requested}`);
    return this.held.dataVersion;
  }
  async load(version: number): Promise<{ universe: LoadedUniverse; cacheHit: boolean }> {
    this.asked.push(`load ${version}`);
    return { universe: this.held, cacheHit: true };
  }
}

/** scan_runs in a Map, with the writer's rules: start claims only queued or running runs. */
class FakeWriter {
  readonly status = new Map<string, string>();
  readonly completed: { scanRunId: string; hits: ScanHit[]; summary: Record<string, unknown> }[] =
    [];
  readonly failed: { scanRunId: string; error: string }[] = [];
  async start(scanRunId: string): Promise<boolean> {
    const status = this.status.get(scanRunId);
    if (status !== 'queued' && status !== 'running') return false;
    this.status.set(scanRunId, 'running');
    return true;
  }
  async complete(
    scanRunId: string,
    hits: ScanHit[],
    summary: Record<string, unknown>,
  ): Promise<void> {
    this.status.set(scanRunId, 'completed');
    this.completed.push({ scanRunId, hits, summary });
  }
  async fail(scanRunId: string, error: string): Promise<void> {
    if (this.status.get(scanRunId) !== 'completed') this.status.set(scanRunId, 'failed');
    this.failed.push({ scanRunId, error });
  }
}

const request = (overrides: Partial<NormalizedScanRequest> = {}): NormalizedScanRequest => ({
  sectors: null,
  symbols: null,
  maxSymbols: 10,
  minTechRating: 0,
  profile: 'aggressive',
  direction: 'both',
  asOf: null,
  asOfRequested: null,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
  ...overrides,
});

const payload = (overrides: Partial<ScanJobPayloadV2> = {}): ScanJobPayloadV2 => ({
  v: 2,
  requestId: 'req-1',
  scanRunId: RUN_ID,
  dataVersion: 3,
  request: request(),
  ...overrides,
});

function fakeJob(data: unknown, attemptsMade = 0) {
  const frames: ScanProgress[] = [];
  return {
    frames,
    job: {
      data,
      attemptsMade,
      updateProgress: async (frame: unknown) => void frames.push(frame as ScanProgress),
    },
  };
}

function setUp(runStatus = 'queued', dataVersion = 3) {
  const loader = new FakeLoader(universe(dataVersion));
  const writer = new FakeWriter();
  writer.status.set(RUN_ID, runStatus);
  const processor = new ScanProcessor(
    loader as unknown as BarCacheLoader,
    writer as unknown as ScanResultsWriter,
  );
  return { loader, writer, processor };
}

describe('ScanProcessor.process', () => {
  it('fails a payload that can never succeed without retries, before touching the run', async () => {
    const { processor, writer } = setUp();
    const { job, frames } = fakeJob({ ...payload(), v: 3 });
    await assert.rejects(processor.process(job), UnrecoverableError);
    assert.equal(writer.status.get(RUN_ID), 'queued');
    assert.deepEqual(frames, []);
  });

  it('runs a v1 job of the previous release as a long scan', async () => {
    const { processor, writer } = setUp();
    const { direction: _d, asOfRequested: _a, ...v1Request } = request({ direction: 'long' });
    await processor.process(fakeJob({ ...payload(), v: 1, request: v1Request }).job);
    assert.equal(writer.completed.length, 1);
  });

  it('fails a request for a day that does not exist without retries', async () => {
    const { processor } = setUp();
    const { job } = fakeJob(payload({ request: request({ asOf: '2018-02-30' }) }));
    await assert.rejects(
      processor.process(job),
      (error: unknown) => error instanceof UnrecoverableError && /2018-02-30/.test(error.message),
    );
  });

  it('writes nothing and reports nothing for a run that already finished (a redelivered job)', async () => {
    const { processor, writer } = setUp('completed');
    const { job, frames } = fakeJob(payload(), 1);
    assert.deepEqual(await processor.process(job), { scanRunId: RUN_ID });
    assert.deepEqual(writer.completed, []);
    assert.deepEqual(frames, []);
  });

  it('writes the results once when the same job is delivered twice', async () => {
    const { processor, writer } = setUp();
    await processor.process(fakeJob(payload()).job);
    await processor.process(fakeJob(payload(), 1).job);
    assert.equal(writer.completed.length, 1);
  });

  it('reports loading, fetching, scanning and finalizing in that order, the percent never going back', async () => {
    const { processor } = setUp();
    const { job, frames } = fakeJob(payload());
    await processor.process(job);
    const stages = frames.map((f) => f.stage).filter((stage, i, all) => stage !== all[i - 1]);
    // Scanning frames are throttled to one per 10 ms: a scan this small may finish before the first.
    assert.ok(
      ['loading,fetching,scanning,finalizing', 'loading,fetching,finalizing'].includes(
        stages.join(),
      ),
      stages.join(),
    );
    assert.deepEqual([frames[0]!.percent, frames[1]!.percent, frames.at(-1)!.percent], [0, 5, 95]);
    for (let i = 1; i < frames.length; i++)
      assert.ok(frames[i]!.percent >= frames[i - 1]!.percent, `frame ${i}`);
    const last = frames.at(-1)!;
    assert.deepEqual(
      [last.symbolsScanned, last.universeSize, last.etaSeconds],
      [SYMBOLS, SYMBOLS, 0],
    );
    assert.ok(frames.every((f) => f.partial.length <= 25));
  });

  it('scans the data version the job was admitted on and records it in the summary', async () => {
    const { processor, loader, writer } = setUp('queued', 3);
    await processor.process(fakeJob(payload({ dataVersion: 3 })).job);
    assert.deepEqual(loader.asked, ['versionFor 3', 'load 3']);
    assert.equal(writer.completed[0]!.summary['dataVersion'], 3);
  });

  it('writes the ranked hits, at most maxSymbols, with their names and sectors', async () => {
    const { processor, writer } = setUp();
    await processor.process(
      fakeJob(payload({ request: request({ maxSymbols: 5, sectors: ['Energy'] }) })).job,
    );
    const { hits, summary } = writer.completed[0]!;
    assert.deepEqual(
      hits.map((h) => h.rank),
      [1, 2, 3, 4, 5],
    );
    assert.ok(
      hits.every((h) => h.sector === 'Energy' && h.name === `Test ${Number(h.symbol.slice(1))}`),
    );
    assert.equal(summary['universeSize'], SYMBOLS / 2);
  });
});

describe('ScanProcessor.onFailed', () => {
  const failedJob = (attemptsMade: number) => ({
    id: RUN_ID,
    data: payload(),
    attemptsMade,
    opts: { attempts: 3 },
  });

  it('leaves the run to its next attempt while retries remain', async () => {
    const { processor, writer } = setUp('running');
    await processor.onFailed(failedJob(1), new Error('database went away'));
    assert.deepEqual(writer.failed, []);
  });

  it('marks the run failed after the last attempt', async () => {
    const { processor, writer } = setUp('running');
    await processor.onFailed(failedJob(3), new Error('database went away'));
    assert.deepEqual(writer.failed, [{ scanRunId: RUN_ID, error: 'database went away' }]);
  });

  it('marks the run failed at once when the error is unrecoverable', async () => {
    const { processor, writer } = setUp('running');
    await processor.onFailed(
      failedJob(1),
      new UnrecoverableError('invalid scan job payload: request'),
    );
    assert.equal(writer.status.get(RUN_ID), 'failed');
  });
});
