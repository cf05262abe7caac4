import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { loadConfig } from '#config';
import { JOBS } from '#jobs';
import { scanRetentionDeletedRuns } from '#observability';
import { PRUNE_BATCH, ScanRetentionProcessor } from './scan-retention.processor.js';
import type { ScanRetentionRepository } from './scan-retention.repository.js';

const config = loadConfig({ NODE_ENV: 'test', SCAN_RETENTION_DAYS: '7' }, '/nonexistent/.env');

/** A repository that deletes `batches` in turn and records the cutoffs it was given. */
function fakeRuns(batches: number[]) {
  const cutoffs: Date[] = [];
  const runs = {
    deleteBatch: async (cutoff: Date, batch: number) => {
      assert.equal(batch, PRUNE_BATCH);
      cutoffs.push(cutoff);
      return batches.shift() ?? 0;
    },
  };
  return { cutoffs, runs: runs as unknown as ScanRetentionRepository };
}

const job = (data: unknown, name: string = JOBS.pruneScans) => ({ id: '1', name, data });
const counted = async () => (await scanRetentionDeletedRuns.get()).values[0]?.value ?? 0;

describe('ScanRetentionProcessor', () => {
  it('deletes in batches until one comes back short, counting every run in the metric', async () => {
    const { cutoffs, runs } = fakeRuns([PRUNE_BATCH, PRUNE_BATCH, 13]);
    const before = await counted();
    const processor = new ScanRetentionProcessor(config, runs);
    processor.now = () => Date.parse('2026-12-06T03:17:00Z');
    const result = await processor.process(job({ v: 1, requestId: 't' }));
    assert.equal(result.deletedRuns, 2 * PRUNE_BATCH + 13);
    assert.equal(result.cutoff, '2026-11-29T03:17:00.000Z');
    assert.equal(cutoffs.length, 3);
    assert.equal((await counted()) - before, 2 * PRUNE_BATCH + 13);
  });

  it('refuses a foreign job or a bad payload without retries', async () => {
    const { runs } = fakeRuns([]);
    const processor = new ScanRetentionProcessor(config, runs);
    await assert.rejects(processor.process(job({ v: 1, requestId: 't' }, 'x')), UnrecoverableError);
    await assert.rejects(processor.process(job({ v: 2 })), UnrecoverableError);
  });
});
