import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ScanHit, ScanSummary } from '#jobs';
import { ScanResultsWriter } from '../apps/worker/scan/scan-results.writer.js';
import { useStack } from './support/stack.js';

/**
 * The scan results writer's fence against real PostgreSQL (the worker's unit specs use a fake of
 * it): an attempt writes results only while its claim is the run's latest. A worker cut off from
 * Redis loses its job to another one and may come back to write late (the fleet suite partitions
 * a worker host to show it end to end); this pins the SQL that refuses it.
 */
describe('scan results writer: one claim writes', () => {
  const stack = useStack({ scans: true, keys: { key: 'read,scan' } });
  const summary = { statusText: 'test' } as unknown as ScanSummary;
  const hit = (rank: number, symbol: string) =>
    ({ rank, symbol, techRating: 80 - rank, signal: 'Buy' }) as unknown as ScanHit;

  async function queuedRun(): Promise<string> {
    const id = randomUUID();
    const [{ id: keyId }] = (await stack.ds.query(`SELECT id FROM api_keys WHERE name = 'e2e-key'`)) as { id: string }[]; // prettier-ignore
    await stack.ds.query(
      `INSERT INTO scan_runs (id, api_key_id, request_hash, request, data_version, status)
       VALUES ($1, $2, $3, '{}', 1, 'queued')`,
      [id, keyId, createHash('sha256').update(id).digest('hex')],
    );
    return id;
  }
  const state = async (id: string) => {
    const [run] = (await stack.ds.query(`SELECT status, attempts FROM scan_runs WHERE id = $1`, [id])) as { status: string; attempts: number }[]; // prettier-ignore
    const rows = (await stack.ds.query(`SELECT symbol FROM scan_results WHERE scan_run_id = $1 ORDER BY rank`, [id])) as { symbol: string }[]; // prettier-ignore
    return { ...run!, symbols: rows.map((r) => r.symbol) };
  };

  it('refuses the write of an attempt a later one replaced, before and after that one completes', async () => {
    const writer = new ScanResultsWriter(stack.ds);
    const id = await queuedRun();
    assert.equal(await writer.start(id), 1, 'the first worker claims attempt 1');
    assert.equal(await writer.start(id), 2, 'the job, given to another worker, is attempt 2');
    assert.equal(await writer.complete(id, 1, [hit(1, 'OLD')], summary), false);
    assert.deepEqual(await state(id), { status: 'running', attempts: 2, symbols: [] });
    assert.equal(await writer.complete(id, 2, [hit(1, 'NEW'), hit(2, 'TWO')], summary), true);
    assert.equal(await writer.complete(id, 1, [hit(1, 'OLD')], summary), false, 'late write');
    assert.equal(await writer.complete(id, 2, [hit(1, 'AGAIN')], summary), false, 'completed once');
    assert.deepEqual(await state(id), {
      status: 'completed',
      attempts: 2,
      symbols: ['NEW', 'TWO'],
    });
  });

  it('claims nothing of a finished run: a redelivered job leaves it as it is', async () => {
    const writer = new ScanResultsWriter(stack.ds);
    const id = await queuedRun();
    const claim = await writer.start(id);
    assert.equal(await writer.complete(id, claim!, [hit(1, 'ONE')], summary), true);
    assert.equal(await writer.start(id), null);
    await writer.fail(id, 'a late failure');
    assert.deepEqual(await state(id), { status: 'completed', attempts: 1, symbols: ['ONE'] });
  });
});
