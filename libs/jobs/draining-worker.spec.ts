import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { DRAIN_TIMEOUT_MS, DrainingWorker, DrainingWorkerHost } from './draining-worker.js';

class Consumer extends DrainingWorkerHost {
  async process(): Promise<void> {}
}

/** A consumer whose worker is a fake: close() settles when the test finishes the running job. */
function consumerWithRunningJob() {
  const events: string[] = [];
  let finishJob!: () => void;
  const jobDone = new Promise<void>((resolve) => (finishJob = resolve));
  const worker = {
    close: async () => {
      events.push('close asked');
      await jobDone;
      events.push('closed');
    },
  } as unknown as Worker;
  const consumer = Object.defineProperty(new Consumer(), 'worker', { get: () => worker });
  return { consumer, events, finishJob };
}

describe('DrainingWorkerHost', () => {
  it('lets the running job finish before the app goes on shutting down', async () => {
    const { consumer, events, finishJob } = consumerWithRunningJob();
    const draining = consumer
      .beforeApplicationShutdown()
      .then(() => events.push('shutdown goes on'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['close asked']);
    finishJob();
    await draining;
    assert.deepEqual(events, ['close asked', 'closed', 'shutdown goes on']);
  });
});

describe('DrainingWorker', () => {
  it('stops waiting for a job that cannot finish after 110 s, and a second close shares that wait', async (t) => {
    // BullMQ's own close() stands for a worker whose job waits for a Redis that is away: it never settles.
    let bullmqCloses = 0;
    t.mock.method(Worker.prototype, 'close', () => {
      bullmqCloses++;
      return new Promise(() => {});
    });
    t.mock.timers.enable({ apis: ['setTimeout'] });
    // Built without its constructor, which would connect to Redis; close() is all this test uses.
    const worker = Object.create(DrainingWorker.prototype) as DrainingWorker;
    let settled = 0;
    void worker.close().then(() => settled++);
    t.mock.timers.tick(DRAIN_TIMEOUT_MS - 1);
    await flush();
    assert.equal(settled, 0);
    t.mock.timers.tick(1);
    await flush();
    assert.equal(settled, 1);
    await worker.close();
    assert.equal(bullmqCloses, 1);
  });
});

const flush = () => new Promise((resolve) => setImmediate(resolve));
