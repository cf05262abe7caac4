import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { SupersededAttemptError } from './scan.processor.js';
import { fakeJob, payload, request, RUN_ID, setUp, SYMBOLS } from './scan.processor.fakes.js';

/**
 * The processor's decisions with hand-made fakes (scan.processor.fakes.ts): a loader holding a
 * small in-memory universe, a writer keeping runs in a Map, a job recording its progress. No Redis,
 * no PostgreSQL.
 */

// The processor logs every failed attempt; the assertions say what matters here.
before(() => Logger.overrideLogger(false));

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

  it('writes nothing when a later attempt claimed the run while this one was cut off, and fails', async () => {
    const { processor, writer, loader } = setUp();
    // The first attempt stalls while it loads the bars (its machine is starved); meanwhile its job
    // is given to another worker, which runs the scan to the end.
    loader.beforeLoad = async () => {
      await processor.process(fakeJob(payload(), 1).job);
    };
    await assert.rejects(processor.process(fakeJob(payload(), 0).job), SupersededAttemptError);
    assert.deepEqual(
      writer.completed.map((c) => c.attempt),
      [2],
      'only the attempt that took over wrote',
    );
    assert.equal(writer.status.get(RUN_ID), 'completed');
  });

  it('fails the attempt whose claim a late starter took, so that BullMQ runs the job again', async () => {
    const { processor, writer, loader } = setUp();
    // A worker that lost the job before claiming the run claims it now, in the middle of this run.
    loader.beforeLoad = async () => {
      await writer.start(RUN_ID);
    };
    await assert.rejects(processor.process(fakeJob(payload(), 0).job), SupersededAttemptError);
    assert.deepEqual(writer.completed, []);
    assert.equal(writer.status.get(RUN_ID), 'running', 'left for the next attempt');
  });

  it('sends progress frames without waiting for them, and finishes the scan though one was lost', async () => {
    const { processor, writer } = setUp();
    const sent: string[] = [];
    const { job } = fakeJob(payload(), 0, async (frame) => {
      sent.push(frame.stage);
      // One frame never answered (a Redis that hangs), one refused: neither holds the scan.
      if (frame.stage === 'loading') await new Promise(() => {});
      if (frame.stage === 'fetching') throw new Error('Redis went away');
    });
    await processor.process(job);
    assert.equal(writer.completed.length, 1, 'the result is written');
    assert.deepEqual(sent.slice(0, 2), ['loading', 'fetching'], 'in order');
    assert.equal(sent.at(-1), 'finalizing');
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
