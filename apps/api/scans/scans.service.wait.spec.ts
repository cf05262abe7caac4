import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alice, setUp, summary } from './scans.service.fakes.js';

describe('ScansService.create with ?wait=N', () => {
  it('answers 200 completed when the scan finishes before N seconds', async () => {
    const { service, queue } = setUp({
      work: (queue, id) => setTimeout(() => queue.finish(id, { summary }), 10),
    });
    const answer = await service.create({}, alice, 'req-1', 5);
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.status, 'completed');
    assert.equal(answer.scan.result?.symbolsScanned, 1);
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 5000, how: 'finished' }]);
  });

  it('answers 202 with the run still queued when N seconds pass first', async () => {
    const { service, queue } = setUp();
    const answer = await service.create({}, alice, 'req-1', 0.05);
    assert.equal(answer.status, 202);
    assert.equal(answer.scan.status, 'queued');
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 50, how: 'timed out' }]);
  });

  it('answers 200 failed with the error when the scan fails within N seconds', async () => {
    const { service, queue } = setUp({
      work: (queue, id) => setTimeout(() => queue.finish(id, { error: 'worker lost' }), 10),
    });
    const answer = await service.create({}, alice, 'req-1', 5);
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.status, 'failed');
    assert.equal(answer.scan.error, 'worker lost');
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 5000, how: 'finished' }]);
  });

  it('does not wait for a scan that finished before the wait began', async () => {
    const { service, queue } = setUp({ work: (queue, id) => queue.finish(id, { summary }) });
    const answer = await service.create({}, alice, 'req-1', 30);
    assert.equal(answer.status, 200);
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 30_000, how: 'already finished' }]);
  });
});
