import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { all, analyses, PARAMS, run } from './fixtures/scan-universe.js';

// Short and both-direction scans, and the plans of each side. Long scans: scan-run.spec.ts.

describe('ScanRun', () => {
  it('gives every listed hit a plan on its signal’s side, and none an Avoid signal', () => {
    for (const direction of ['long', 'short', 'both'] as const) {
      for (const profile of ['conservative', 'balanced', 'aggressive'] as const) {
        const hits = run({ ...PARAMS, profile, direction, maxSymbols: 500 }).result().hits;
        for (const hit of hits) {
          assert.notEqual(hit.signal, 'Avoid', `${direction} ${profile} ${hit.symbol}`);
          const side = hit.signal.endsWith('Long') ? 'long' : 'short';
          assert.equal(hit.plan!.side, side, `${hit.symbol} ${hit.signal}`);
          if (direction !== 'both') assert.equal(side, direction);
        }
      }
    }
  });

  it('ranks a short scan by rating ascending, with short plans whose stop is above the entry', () => {
    const params = { ...PARAMS, profile: 'aggressive' as const, direction: 'short' as const };
    const expected = analyses
      .filter(
        (a) =>
          a.techRating <= 40 &&
          100 - a.techRating >= 45 &&
          a.indicators.close >= 5 &&
          a.indicators.atrPct <= 6 &&
          a.indicators.avgDollarVolume20 >= 3e6,
      )
      .sort((a, b) => a.techRating - b.techRating || (a.symbol < b.symbol ? -1 : 1));
    const outcome = run({ ...params, maxSymbols: 500 }).result();
    assert.ok(expected.length > 1, 'the universe should have short candidates');
    assert.deepEqual(
      outcome.hits.map((h) => h.symbol),
      expected.map((a) => a.symbol),
    );
    for (const hit of outcome.hits) {
      assert.equal(hit.plan!.side, 'short');
      assert.ok(hit.plan!.stop > hit.plan!.entry && hit.plan!.target < hit.plan!.entry);
    }
    assert.match(outcome.statusText, /passed the aggressive short filters/);
  });

  it('ranks both directions by distance from neutral 50, farthest first', () => {
    const hits = run({ ...PARAMS, direction: 'both', maxSymbols: 500 }).result().hits;
    assert.ok(hits.some((h) => h.techRating > 50) && hits.some((h) => h.techRating < 50));
    // Rounded like the ratings: 83.6 − 50 and 50 − 16.4 differ in the last binary digit.
    const distances = hits.map((h) => Math.round(Math.abs(h.techRating - 50) * 10) / 10);
    assert.deepEqual(
      distances,
      distances.slice().sort((a, b) => b - a),
    );
  });

  it('gives Avoid hits of a relaxed scan no plan, and a rationale that says why', () => {
    const hits = run({ ...PARAMS, minTechRating: 101, maxSymbols: 500 }, all).result().hits;
    const flat = analyses.filter((a) => a.signal === 'Avoid');
    assert.ok(flat.length > 0);
    for (const a of flat) {
      assert.equal(a.plan, null);
      assert.match(a.rationale, /^No trade plan: a rating of [\d.]+ is neutral/);
    }
    assert.ok(hits.every((h) => (h.signal === 'Avoid') === (h.plan === null)));
  });
});
