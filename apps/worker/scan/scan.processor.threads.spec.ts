import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type { BarCacheLoader } from './bar-cache.loader.js';
import type { ScanResultsWriter } from './scan-results.writer.js';
import { ScanThreads } from './scan-threads.js';
import { ScanProcessor } from './scan.processor.js';
import { fakeJob, payload, request, RUN_ID, setUp, SYMBOLS } from './scan.processor.fakes.js';

/**
 * The processor with real scan threads (the fakes of scan.processor.fakes.ts for the rest): a split
 * scan writes what an inline one writes, reports the same stages, and a thread that dies fails the
 * attempt without writing, so that BullMQ's retry runs the scan again.
 */

before(() => Logger.overrideLogger(false));
const pools: ScanThreads[] = [];
/** Runs before each chunk's report reaches the processor (a test's fault goes here). */
let beforeReport = async () => {};
beforeEach(() => {
  beforeReport = async () => {};
});
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** setUp's fakes, the processor given `threads` threads that split every universe (threshold 1). */
function withThreads(threads = 2, minSymbols = 1) {
  const parts = setUp();
  const pool = new ScanThreads(threads, minSymbols);
  pools.push(pool);
  const scans: number[] = [];
  const scan = pool.scan.bind(pool);
  pool.scan = (store, indexes, params, chunk, limit, onProgress) => {
    scans.push(indexes.length);
    return scan(store, indexes, params, chunk, limit, async (...report) => {
      await beforeReport();
      await onProgress(...report);
    });
  };
  const processor = new ScanProcessor(
    parts.loader as unknown as BarCacheLoader,
    parts.writer as unknown as ScanResultsWriter,
    pool,
  );
  return { ...parts, processor, pool, scans };
}

describe('ScanProcessor with scan threads', () => {
  for (const maxSymbols of [3, 10, 60]) {
    it(`writes the hits and summary an inline scan writes (maxSymbols ${maxSymbols})`, async () => {
      const body = payload({ request: request({ maxSymbols }) });
      const inline = setUp();
      await inline.processor.process(fakeJob(body).job);
      const split = withThreads();
      await split.processor.process(fakeJob(body).job);
      assert.deepEqual(split.scans, [SYMBOLS], 'the universe went to the threads');
      const [a, b] = [inline.writer.completed[0]!, split.writer.completed[0]!];
      assert.deepEqual(b.hits, a.hits);
      const { metrics: _a, ...summaryA } = a.summary;
      const { metrics: _b, ...summaryB } = b.summary;
      assert.deepEqual(summaryB, summaryA);
    });
  }

  it('reports loading, fetching, scanning and finalizing, counts only going up', async () => {
    const { processor } = withThreads();
    const { job, frames } = fakeJob(payload());
    await processor.process(job);
    const stages = frames.map((f) => f.stage).filter((stage, i, all) => stage !== all[i - 1]);
    assert.ok(
      ['loading,fetching,scanning,finalizing', 'loading,fetching,finalizing'].includes(
        stages.join(),
      ),
      stages.join(),
    );
    for (let i = 1; i < frames.length; i++) {
      assert.ok(frames[i]!.percent >= frames[i - 1]!.percent, `frame ${i}`);
      assert.ok(frames[i]!.symbolsScanned >= frames[i - 1]!.symbolsScanned, `frame ${i}`);
    }
    const last = frames.at(-1)!;
    assert.deepEqual([last.symbolsScanned, last.universeSize], [SYMBOLS, SYMBOLS]);
    assert.ok(frames.every((f) => f.partial.length <= 25));
  });

  it('scans a universe below SCAN_THREADS_MIN_SYMBOLS inline', async () => {
    const { processor, writer, scans } = withThreads(2, SYMBOLS + 1);
    await processor.process(fakeJob(payload()).job);
    assert.deepEqual(scans, []);
    assert.equal(writer.completed.length, 1);
  });

  it('scans inline with SCAN_THREADS=1', async () => {
    const { processor, writer, scans } = withThreads(1, 1);
    await processor.process(fakeJob(payload()).job);
    assert.deepEqual(scans, []);
    assert.equal(writer.completed.length, 1);
  });

  it('fails the attempt when a thread dies mid-scan, writes nothing, and the retry completes', async () => {
    const { processor, writer, pool } = withThreads();
    // At the first chunk's report, before the job's reporter sees it, thread 0 is killed.
    let killed = false;
    beforeReport = async () => {
      if (killed) return;
      killed = true;
      await pool.crash(0);
    };
    await assert.rejects(processor.process(fakeJob(payload()).job), /scan thread 0 exited/);
    assert.equal(writer.completed.length, 0, 'nothing written');
    assert.equal(writer.status.get(RUN_ID), 'running', 'left for the next attempt');
    await processor.process(fakeJob(payload(), 1).job);
    assert.equal(writer.status.get(RUN_ID), 'completed');
    assert.deepEqual(
      writer.completed.map((c) => c.attempt),
      [2],
    );
  });

  it('fails the attempt when a chunk cannot be reported (Redis away), and the retry completes', async () => {
    const { processor, writer } = withThreads();
    let failed = false;
    beforeReport = async () => {
      if (failed) return;
      failed = true;
      throw new Error('Connection is closed.');
    };
    await assert.rejects(processor.process(fakeJob(payload()).job), /Connection is closed/);
    assert.equal(writer.completed.length, 0, 'nothing written');
    await processor.process(fakeJob(payload(), 1).job);
    assert.equal(writer.status.get(RUN_ID), 'completed');
  });
});
