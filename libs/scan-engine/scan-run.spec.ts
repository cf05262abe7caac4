import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol } from './analyze.js';
import { syntheticStore, type SyntheticSpec } from './fixtures/synthetic.js';
import { ScanRun } from './scan-run.js';
import { PROFILES, type Analysis, type ScanParams } from './scan.types.js';

const PARAMS: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

// A universe that spans every filter: prices from $3 to $300, ATR from under 1 % to over 6 %,
// dollar volume from $0.1M to $1B a day, trends both ways; three symbols too short to analyze; and
// TWIN-A/TWIN-B with identical bars, to see ties broken by symbol.
const specs: SyntheticSpec[] = [];
for (let k = 0; k < 60; k++) {
  specs.push({
    symbol: `S${String(k).padStart(2, '0')}`,
    seed: 1000 + k,
    bars: 260 + ((k * 37) % 500),
    drift: ((k % 7) - 3) * 0.001,
    volatility: [0.006, 0.012, 0.02, 0.035, 0.06][k % 5],
    price: [3, 8, 12, 40, 300][(k * 3) % 5],
    volume: [5e3, 1e5, 4e5, 2e6, 1e7][(k * 2) % 5],
  });
}
// A cheap stock that is liquid, calm and rising, so the price filter alone turns it away.
specs.push({
  symbol: 'CHEAP',
  seed: 9,
  bars: 400,
  drift: 0.002,
  volatility: 0.006,
  price: 4,
  volume: 4e7,
});
specs.push({
  symbol: 'TWIN-B',
  seed: 7,
  bars: 400,
  drift: 0.002,
  volatility: 0.01,
  price: 60,
  volume: 1e6,
});
specs.push({
  symbol: 'TWIN-A',
  seed: 7,
  bars: 400,
  drift: 0.002,
  volatility: 0.01,
  price: 60,
  volume: 1e6,
});
for (let k = 0; k < 3; k++) specs.push({ symbol: `NEW${k}`, seed: 50 + k, bars: 40 + k * 50 });
const store = syntheticStore(specs);
const all = store.symbols.map((_, i) => i);
/** The analysis as a scan lists it: failedFilters is the one-symbol analysis's extra. */
const listed = (a: Analysis | null): Analysis | null => {
  if (!a) return null;
  const { failedFilters: _failed, ...rest } = a;
  return rest;
};
const analyses = all
  .map((i) => listed(analyzeSymbol(store, i, PARAMS)))
  .filter((a): a is Analysis => a !== null);

const byRank = (a: Analysis, b: Analysis) =>
  b.techRating - a.techRating || (a.symbol < b.symbol ? -1 : 1);
const passes = (a: Analysis, p: ScanParams) => {
  const t = PROFILES[p.profile];
  return (
    a.indicators.close >= t.minPrice &&
    a.indicators.atrPct <= t.maxAtrPct &&
    a.indicators.avgDollarVolume20 >= t.minAvgDollarVolume &&
    a.techRating >= (p.minTechRating ?? t.minTechRating) &&
    // A long scan lists Long and Strong Long only: never an Avoid hit.
    a.techRating >= 60
  );
};
const run = (params: ScanParams, indexes: ArrayLike<number> = all, chunk = Infinity) => {
  const scan = new ScanRun(store, indexes, params);
  while (!scan.step(chunk));
  return scan;
};

describe('ScanRun', () => {
  for (const profile of ['conservative', 'balanced', 'aggressive'] as const) {
    it(`lists exactly the symbols passing the ${profile} filters, ranked by rating then symbol`, () => {
      const params = { ...PARAMS, profile, maxSymbols: 500 };
      const expected = analyses.filter((a) => passes(a, params)).sort(byRank);
      const outcome = run(params).result();
      assert.ok(expected.length > 0, 'the universe should let some symbols through');
      assert.equal(outcome.relaxed, false);
      assert.deepEqual(
        outcome.hits,
        expected.map((a, k) => ({ ...a, rank: k + 1 })),
      );
      assert.equal(
        outcome.statusText,
        `${expected.length} of ${analyses.length} symbols passed the ${profile} filters (3 skipped with fewer than 200 bars of history)`,
      );
    });
  }

  it('is exercised by every filter: each one alone turns some symbol away', () => {
    const t = PROFILES.balanced;
    const fails = [
      (a: Analysis) => a.indicators.close < t.minPrice,
      (a: Analysis) => a.indicators.atrPct > t.maxAtrPct,
      (a: Analysis) => a.indicators.avgDollarVolume20 < t.minAvgDollarVolume,
      (a: Analysis) => a.techRating < t.minTechRating,
    ];
    for (const [k, fail] of fails.entries()) {
      assert.ok(
        analyses.some((a) => fail(a) && fails.every((other, j) => j === k || !other(a))),
        `filter ${k}`,
      );
    }
  });

  it('keeps at most maxSymbols hits and says how many passed', () => {
    const params = { ...PARAMS, profile: 'aggressive' as const, maxSymbols: 3 };
    const passed = analyses.filter((a) => passes(a, params)).length;
    const outcome = run(params).result();
    assert.equal(outcome.hits.length, 3);
    assert.deepEqual(
      outcome.hits.map((h) => h.rank),
      [1, 2, 3],
    );
    assert.match(
      outcome.statusText,
      new RegExp(
        `^${passed} of ${analyses.length} symbols passed the aggressive filters; showing the top 3`,
      ),
    );
  });

  it('applies minTechRating instead of the profile default when given', () => {
    const params = {
      ...PARAMS,
      profile: 'aggressive' as const,
      maxSymbols: 500,
      minTechRating: 70,
    };
    const hits = run(params).result().hits;
    assert.ok(hits.length > 0);
    assert.ok(hits.every((h) => h.techRating >= 70));
    assert.equal(hits.length, analyses.filter((a) => passes(a, params)).length);
  });

  it('relaxes the filters to the top 10 by rating when nothing passes', () => {
    const outcome = run({ ...PARAMS, minTechRating: 101 }).result();
    assert.equal(outcome.relaxed, true);
    assert.deepEqual(
      outcome.hits.map((h) => h.symbol),
      analyses
        .slice()
        .sort(byRank)
        .slice(0, 10)
        .map((a) => a.symbol),
    );
    assert.deepEqual(
      outcome.hits.map((h) => h.rank),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for (const hit of outcome.hits) assert.ok(hit.failedFilters!.includes('minTechRating'));
    assert.match(
      outcome.statusText,
      /^No symbol passed the balanced filters; the filters were relaxed to show the top 10 of 63 by rating/,
    );
  });

  it('shows no more relaxed hits than maxSymbols', () => {
    const outcome = run({ ...PARAMS, minTechRating: 101, maxSymbols: 4 }).result();
    assert.equal(outcome.relaxed, true);
    assert.equal(outcome.hits.length, 4);
  });

  it('gives the same outcome stepped in chunks of any size, and in any symbol order', () => {
    const whole = run(PARAMS).result();
    for (const chunk of [1, 7, 64]) assert.deepEqual(run(PARAMS, all, chunk).result(), whole);
    assert.deepEqual(run(PARAMS, all.slice().reverse(), 5).result(), whole);
  });

  it('is deterministic across runs', () => {
    const params = { ...PARAMS, asOf: 20140620 };
    assert.deepEqual(run(params).result(), run(params).result());
  });

  it('ranks partial results after every chunk: rating desc, symbol asc, ranks from 1', () => {
    const params = { ...PARAMS, profile: 'aggressive' as const, maxSymbols: 8 };
    const scan = new ScanRun(store, all, params);
    let seen = 0;
    while (!scan.step(6)) {
      const partial = scan.partialTop();
      const prefix = all
        .slice(0, scan.symbolsScanned)
        .map((i) => listed(analyzeSymbol(store, i, PARAMS)));
      const expected = prefix
        .filter((a): a is Analysis => a !== null && passes(a, params))
        .sort(byRank)
        .slice(0, 8);
      assert.deepEqual(
        partial,
        expected.map((a, k) => ({ ...a, rank: k + 1 })),
      );
      assert.equal(scan.partialTop(), partial, 'unchanged partial results are cached');
      seen += partial.length;
    }
    assert.ok(seen > 0);
    assert.deepEqual(scan.partialTop(), scan.result().hits);
  });

  it('breaks rating ties by symbol', () => {
    const twins = [store.symbols.indexOf('TWIN-B'), store.symbols.indexOf('TWIN-A')];
    const outcome = run({ ...PARAMS, minTechRating: 0, direction: 'both' }, twins).result();
    assert.deepEqual(
      outcome.hits.map((h) => h.symbol),
      ['TWIN-A', 'TWIN-B'],
    );
    assert.equal(outcome.hits[0]!.techRating, outcome.hits[1]!.techRating);
  });

  it('counts the universe, the symbols scanned and those skipped for short history', () => {
    const scan = new ScanRun(store, all, PARAMS);
    assert.equal(scan.universeSize, 66);
    assert.equal(scan.done, false);
    assert.throws(() => scan.result(), /not finished/);
    assert.equal(scan.step(0), false);
    assert.equal(scan.symbolsScanned, 0);
    assert.equal(scan.step(60), false);
    assert.equal(scan.symbolsScanned, 60);
    assert.equal(scan.step(100), true);
    const outcome = scan.result();
    assert.equal(outcome.universeSize, 66);
    assert.equal(outcome.symbolsScanned, 66);
    assert.equal(outcome.skippedInsufficientHistory, 3);
    assert.equal(scan.skippedInsufficientHistory, 3);
    assert.equal(outcome.asOf, Math.max(...analyses.map((a) => a.asOf)));
  });

  it('scans only the symbols it is given (a watchlist) and reports their latest date', () => {
    const outcome = run({ ...PARAMS, minTechRating: 101, maxSymbols: 500 }, [0, 1, 2]).result();
    assert.equal(outcome.hits.length, 3);
    assert.equal(outcome.universeSize, 3);
    assert.ok(outcome.hits.every((h) => ['S00', 'S01', 'S02'].includes(h.symbol)));
    assert.equal(
      outcome.asOf,
      Math.max(...[0, 1, 2].map((i) => analyzeSymbol(store, i, PARAMS)!.asOf)),
    );
  });

  it('answers an empty or all-too-short universe with no hits and a status saying why', () => {
    const empty = run(PARAMS, []).result();
    assert.deepEqual(empty, {
      hits: [],
      relaxed: false,
      statusText: 'No symbols to scan',
      universeSize: 0,
      symbolsScanned: 0,
      skippedInsufficientHistory: 0,
      asOf: null,
    });
    const short = run(PARAMS, [63, 64, 65]).result();
    assert.equal(short.skippedInsufficientHistory, 3);
    assert.deepEqual(short.hits, []);
    assert.equal(short.asOf, null);
    assert.match(short.statusText, /^No symbol had the 200 bars of history a scan needs/);
  });

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

  it('rejects repeated or unknown symbol indexes and a maxSymbols below 1', () => {
    assert.throws(() => new ScanRun(store, [1, 1], PARAMS), RangeError);
    assert.throws(() => new ScanRun(store, [66], PARAMS), RangeError);
    assert.throws(() => new ScanRun(store, [0], { ...PARAMS, maxSymbols: 0 }), RangeError);
    const sideways = { ...PARAMS, direction: 'sideways' } as unknown as ScanParams;
    assert.throws(() => new ScanRun(store, [0], sideways), RangeError);
  });
});
