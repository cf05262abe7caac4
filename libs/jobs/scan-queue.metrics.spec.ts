import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanQueueBacklog, scanQueueJobs } from '#observability';
import { ScanQueueMetrics } from './scan-queue.metrics.js';
import type { ScanProducer } from './scan.producer.js';

const valueOf = async (
  gauge: typeof scanQueueBacklog,
  state?: string,
): Promise<number | undefined> =>
  (await gauge.get()).values.find((v) => state === undefined || v.labels['state'] === state)?.value;

const sampler = (jobCounts: () => Promise<Record<string, number>>) =>
  new ScanQueueMetrics({ jobCounts } as unknown as ScanProducer);

describe('ScanQueueMetrics', () => {
  it('reports the backlog as the waiting plus the prioritized scans, not the running ones', async () => {
    await sampler(async () => ({ waiting: 7, prioritized: 3, active: 4, delayed: 2, completed: 50, failed: 1 })).sample(); // prettier-ignore
    assert.equal(await valueOf(scanQueueBacklog), 10);
    assert.equal(await valueOf(scanQueueJobs, 'active'), 4);
    assert.equal(await valueOf(scanQueueJobs, 'prioritized'), 3);
  });

  it('counts a state BullMQ leaves out as 0', async () => {
    await sampler(async () => ({ waiting: 2 })).sample();
    assert.equal(await valueOf(scanQueueBacklog), 2);
  });

  it('keeps the last values while Redis does not answer', async () => {
    await sampler(async () => ({ waiting: 5, prioritized: 0 })).sample();
    await sampler(async () => Promise.reject(new Error('Connection is closed.'))).sample();
    assert.equal(await valueOf(scanQueueBacklog), 5);
  });
});
