import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Queue } from 'bullmq';
import type { ScanJobPayloadV2 } from './scan.payload.js';
import { QueueBacklogError, ScanProducer } from './scan.producer.js';

/** A queue that counts its calls: `waiting` jobs wait, each add adds one. */
function fakeQueue(waiting: number) {
  const calls = { counts: 0, adds: 0 };
  const queue = {
    on: () => queue,
    getJobCounts: async () => {
      calls.counts++;
      return { waiting: waiting + calls.adds, prioritized: 0 };
    },
    add: async () => {
      calls.adds++;
    },
  };
  return { calls, producer: new ScanProducer(queue as unknown as Queue) };
}

const payload = (n: number) => ({ scanRunId: `run-${n}` }) as ScanJobPayloadV2;

describe('ScanProducer.enqueue with a backlog bound', () => {
  it('counts the backlog once while the queue is far from its bound', async () => {
    const { calls, producer } = fakeQueue(0);
    for (let n = 0; n < 10; n++) await producer.enqueue(payload(n), { maxWaiting: 2000 });
    assert.deepEqual(calls, { counts: 1, adds: 10 });
  });

  it('counts afresh on every enqueue near the bound, and refuses at it', async () => {
    const { calls, producer } = fakeQueue(2);
    await producer.enqueue(payload(1), { maxWaiting: 4 });
    await producer.enqueue(payload(2), { maxWaiting: 4 });
    await assert.rejects(producer.enqueue(payload(3), { maxWaiting: 4 }), QueueBacklogError);
    assert.deepEqual(calls, { counts: 3, adds: 2 });
  });

  it('counts again once a quarter of the bound is reached by its own adds', async () => {
    const { calls, producer } = fakeQueue(0);
    for (let n = 0; n < 7; n++) await producer.enqueue(payload(n), { maxWaiting: 20 });
    // The first counts 0; the next four pass on it and its own adds (0 + 4 < 5); the sixth finds
    // 0 + 5 and counts (5), and so does the seventh (5 + 1).
    assert.deepEqual(calls, { counts: 3, adds: 7 });
  });

  it('never counts without a bound', async () => {
    const { calls, producer } = fakeQueue(0);
    await producer.enqueue(payload(1));
    assert.deepEqual(calls, { counts: 0, adds: 1 });
  });
});
