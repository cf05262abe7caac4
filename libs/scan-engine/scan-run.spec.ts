import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol } from './analyze.js';
import { all, analyses, listed, PARAMS, run, store } from './fixtures/scan-universe.js';
import { ScanRun } from './scan-run.js';
import { PROFILES, type Analysis, type ScanParams } from './scan.types.js';

// Long scans: filters, ranking, chunking, counts. Short and both-direction scans and their plans:
// scan-run.directions.spec.ts.

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

  it('rejects repeated or unknown symbol indexes and a maxSymbols below 1', () => {
    assert.throws(() => new ScanRun(store, [1, 1], PARAMS), RangeError);
    assert.throws(() => new ScanRun(store, [66], PARAMS), RangeError);
    assert.throws(() => new ScanRun(store, [0], { ...PARAMS, maxSymbols: 0 }), RangeError);
    const sideways = { ...PARAMS, direction: 'sideways' } as unknown as ScanParams;
    assert.throws(() => new ScanRun(store, [0], sideways), RangeError);
  });
});
