import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agreesWith, directionScore, failedFilters, filterMask } from './filters.js';
import { PROFILES, type Direction } from './scan.types.js';

describe('directionScore', () => {
  const table: [number, Direction, number][] = [
    [72.4, 'long', 72.4],
    [72.4, 'short', 27.6],
    [27.6, 'short', 72.4],
    [72.4, 'both', 72.4],
    [27.6, 'both', 72.4],
    [50, 'both', 50],
    [44.7, 'short', 55.3],
  ];
  for (const [rating, direction, score] of table) {
    it(`scores a rating of ${rating} ${score} for ${direction}`, () =>
      assert.equal(directionScore(rating, direction), score));
  }
});

describe('agreesWith', () => {
  const table: [number, Direction, boolean][] = [
    [60, 'long', true],
    [59.9, 'long', false],
    [30, 'long', false],
    [40, 'short', true],
    [40.1, 'short', false],
    [80, 'short', false],
    [80, 'both', true],
    [20, 'both', true],
    [50, 'both', false],
  ];
  for (const [rating, direction, agrees] of table) {
    it(`${agrees ? 'lets' : 'turns away'} a rating of ${rating} for ${direction}`, () =>
      assert.equal(agreesWith(rating, direction), agrees));
  }
});

describe('filterMask', () => {
  const liquid = { close: 50, atrPct: 2, avgDollarVolume20: 20e6 };
  const balanced = PROFILES.balanced;

  it('passes a liquid, calm symbol whose signal agrees and whose score is high enough', () => {
    assert.equal(filterMask({ ...liquid, techRating: 61 }, balanced, 55, 'long'), 0);
    assert.equal(filterMask({ ...liquid, techRating: 30 }, balanced, 55, 'short'), 0);
    assert.equal(filterMask({ ...liquid, techRating: 30 }, balanced, 55, 'both'), 0);
  });

  it('turns away an Avoid rating above the profile minimum: the signal must agree', () => {
    const mask = filterMask({ ...liquid, techRating: 57 }, balanced, 55, 'long');
    assert.deepEqual(failedFilters(mask), ['direction']);
  });

  it('bounds the mirrored rating for short: 42 is 58 ≥ 55 but Avoid, 44 is neither', () => {
    assert.deepEqual(
      failedFilters(filterMask({ ...liquid, techRating: 42 }, balanced, 55, 'short')),
      ['direction'],
    );
    assert.deepEqual(
      failedFilters(filterMask({ ...liquid, techRating: 38 }, balanced, 65, 'short')),
      ['minTechRating'],
    );
  });

  it('names every filter a symbol fails, in a fixed order', () => {
    const mask = filterMask(
      { close: 3, atrPct: 9, avgDollarVolume20: 1e5, techRating: 50 },
      balanced,
      55,
      'long',
    );
    assert.deepEqual(failedFilters(mask), [
      'minPrice',
      'maxAtrPct',
      'minAvgDollarVolume',
      'minTechRating',
      'direction',
    ]);
  });
});
