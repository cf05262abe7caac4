import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from './mulberry32.js';

const take = (random: () => number, n: number) => Array.from({ length: n }, random);

describe('mulberry32', () => {
  it('gives the same sequence for the same seed', () => {
    assert.deepEqual(take(mulberry32(7), 100), take(mulberry32(7), 100));
  });

  it('gives a different sequence for another seed', () => {
    assert.notDeepEqual(take(mulberry32(7), 10), take(mulberry32(8), 10));
  });

  it('stays in [0, 1) with a mean near one half', () => {
    const values = take(mulberry32(123), 100_000);
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  });

  it('is pinned to known values, so a change to the generator cannot go unnoticed', () => {
    assert.deepEqual(
      take(mulberry32(1), 3).map((v) => v.toFixed(10)),
      ['0.6270739406', '0.0027357212', '0.5274470400'],
    );
  });
});
