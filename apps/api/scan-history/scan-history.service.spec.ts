import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemException } from '../http/problem.js';
import type { ScanSummaryRow } from './scan-history.repository.js';
import { decodeScanCursor, encodeScanCursor, toScanSummary } from './scan-history.service.js';

const position = {
  createdAt: '2026-12-06T09:00:00.123456Z',
  id: '0b7e2f4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
};

const row = (over: Partial<ScanSummaryRow>): ScanSummaryRow => ({
  id: position.id,
  status: 'completed',
  request: { profile: 'balanced' },
  createdAt: new Date('2026-12-06T09:00:00.123Z'),
  completedAt: new Date('2026-12-06T09:00:01Z'),
  summary: {
    statusText: '25 hits',
    relaxed: false,
    universeSize: 505,
    symbolsScanned: 500,
    skippedInsufficientHistory: 5,
    dataVersion: 2,
    asOf: '2018-02-07',
    metrics: { totalMs: 40, computeMs: 30, symbolsPerSecond: 16000, barCacheHit: true },
  },
  error: null,
  hits: 25,
  position: position.createdAt,
  ...over,
});

describe('scan history', () => {
  it('reads back the position a cursor was made from, to the microsecond', () => {
    assert.deepEqual(decodeScanCursor(encodeScanCursor(position)), position);
  });

  it('refuses a cursor this API did not hand out with 400', () => {
    for (const bad of [
      'x',
      encodeScanCursor({ ...position, id: 'nope' }),
      `${encodeScanCursor(position)}=`,
    ])
      assert.throws(
        () => decodeScanCursor(bad),
        (e: unknown) => e instanceof ProblemException && e.getStatus() === 400,
        bad,
      );
  });

  it('summarizes a completed run with counts and no hits, a failed one with its error', () => {
    const done = toScanSummary(row({}));
    assert.equal(done.result?.hits, 25);
    assert.equal(done.result?.universeSize, 505);
    assert.ok(!('results' in (done.result ?? {})));
    const failed = toScanSummary(
      row({ status: 'failed', summary: null, error: 'boom', completedAt: null }),
    );
    assert.equal(failed.result, null);
    assert.equal(failed.error, 'boom');
  });
});
