import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { majorityBaseline } from './baselines.js';
import type { SentimentLabel } from './labels.js';
import { computeMetrics, evaluate } from './metrics.js';

describe('computeMetrics', () => {
  it('computes accuracy, per-class precision/recall and macro-F1', () => {
    const truth: SentimentLabel[] = [
      'bearish',
      'bearish',
      'bullish',
      'neutral',
      'neutral',
      'neutral',
    ];
    const predicted: SentimentLabel[] = [
      'bearish',
      'neutral',
      'bullish',
      'neutral',
      'neutral',
      'bullish',
    ];
    const e = computeMetrics('t', truth, predicted);
    assert.equal(e.accuracy, 4 / 6);
    assert.deepEqual(e.confusion, [
      [1, 0, 1],
      [0, 1, 0],
      [0, 1, 2],
    ]);
    assert.equal(e.perClass.bearish.precision, 1);
    assert.equal(e.perClass.bearish.recall, 0.5);
    assert.equal(e.perClass.bullish.precision, 0.5);
    assert.equal(e.perClass.neutral.support, 3);
    const f1 = [2 / 3, 2 / 3, 2 / 3];
    assert.ok(Math.abs(e.macroF1 - f1.reduce((a, b) => a + b) / 3) < 1e-12);
  });

  it('gives a class that is never predicted precision 0, not NaN', () => {
    const e = evaluate(majorityBaseline([1, 2, 5]), [
      { text: 'a', label: 'bearish' },
      { text: 'b', label: 'neutral' },
    ]);
    assert.equal(e.perClass.bearish.precision, 0);
    assert.equal(e.perClass.bearish.f1, 0);
    assert.equal(e.accuracy, 0.5);
  });
});
