import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isProgressAhead,
  isProgressBehind,
  progressPosition,
  type ProgressPosition,
} from './scan-progress.order.js';

const at = (stage: ProgressPosition['stage'], percent: number, symbolsScanned = 0) => ({
  stage,
  percent,
  symbolsScanned,
});

describe('isProgressAhead', () => {
  it('takes anything as news when nothing was reported yet', () => {
    assert.equal(isProgressAhead(at('loading', 0), null), true);
  });

  it('is news when the stage, the percent or the symbols scanned move forward', () => {
    assert.equal(isProgressAhead(at('fetching', 5), at('loading', 0)), true);
    assert.equal(isProgressAhead(at('scanning', 40.1), at('scanning', 40)), true);
    assert.equal(isProgressAhead(at('scanning', 40, 210), at('scanning', 40, 200)), true);
  });

  it('is no news when it equals the last report: the same frame twice', () => {
    assert.equal(isProgressAhead(at('fetching', 5), at('fetching', 5)), false);
  });

  it('is no news when the percent falls or the stage goes back, even if another part rises', () => {
    assert.equal(isProgressAhead(at('fetching', 5), at('finalizing', 95)), false);
    assert.equal(isProgressAhead(at('scanning', 30, 400), at('scanning', 60, 300)), false);
    assert.equal(isProgressAhead(at('loading', 96), at('finalizing', 95)), false);
  });
});

describe('isProgressBehind', () => {
  it('is behind only for an earlier stage or a lower percent, not for the same position', () => {
    assert.equal(isProgressBehind(at('fetching', 5), at('fetching', 5)), false);
    assert.equal(isProgressBehind(at('loading', 0), at('fetching', 5)), true);
    assert.equal(isProgressBehind(at('scanning', 30), at('scanning', 31)), true);
  });
});

describe('progressPosition', () => {
  it('reads a stored job progress', () => {
    assert.deepEqual(
      progressPosition({ stage: 'scanning', percent: 60, symbolsScanned: 3, partial: [] }),
      at('scanning', 60, 3),
    );
  });

  it('gives null for anything else BullMQ may hold (a number, nothing, another shape)', () => {
    for (const value of [
      0,
      42,
      null,
      undefined,
      'x',
      { stage: 'x', percent: 1 },
      { stage: 'loading' },
    ])
      assert.equal(progressPosition(value), null, JSON.stringify(value));
  });
});
