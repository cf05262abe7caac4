import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carriedResultOf } from './scan.payload.js';

describe('carriedResultOf (the result a scan job returns)', () => {
  const result = {
    completedAt: '2026-12-07T04:00:00.123Z',
    summary: { statusText: 'ok' },
    hits: [{ rank: 1, symbol: 'AAPL' }],
  };

  it('reads the result of a return value that carries one', () => {
    assert.deepEqual(carriedResultOf({ scanRunId: 'x', result }), result);
  });

  it('ignores a return value without one (an older worker, a large result, a redelivered job)', () => {
    assert.equal(carriedResultOf({ scanRunId: 'x' }), undefined);
    assert.equal(carriedResultOf(null), undefined);
    assert.equal(carriedResultOf('text'), undefined);
  });

  it('ignores a malformed one rather than answer from it', () => {
    assert.equal(carriedResultOf({ result: { ...result, completedAt: 'yesterday' } }), undefined);
    assert.equal(carriedResultOf({ result: { ...result, hits: 'AAPL' } }), undefined);
    assert.equal(carriedResultOf({ result: { ...result, summary: null } }), undefined);
  });
});
