import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol, MIN_HISTORY } from './analyze.js';
import { BarStoreBuilder, type BarStore } from './bar-store.js';
import { goldenStore, loadGolden } from './fixtures/golden-fixture.js';
import { syntheticStore } from './fixtures/synthetic.js';
import type { ScanParams } from './scan.types.js';

const PARAMS: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

/** A copy of symbol i's bars up to and including `asOf`, as its own store: what a data feed had then. */
function truncated(store: BarStore, i: number, asOf: number): BarStore {
  const b = new BarStoreBuilder();
  for (let r = store.offsets[i]!; r < store.offsets[i + 1]! && store.dates[r]! <= asOf; r++) {
    b.append(
      store.symbols[i]!,
      store.dates[r]!,
      store.open[r]!,
      store.high[r]!,
      store.low[r]!,
      store.close[r]!,
      store.volume[r]!,
    );
  }
  return b.build();
}

describe('analyzeSymbol', () => {
  const real = goldenStore(loadGolden('CHD'));
  const synthetic = syntheticStore([
    { symbol: 'AAA', seed: 11, bars: 300, drift: 0.001 },
    { symbol: 'BBB', seed: 12, bars: 600, drift: -0.001 },
    { symbol: 'CCC', seed: 13, bars: 150 },
  ]);

  it('gives the same analysis at a mid-series asOf as on a store truncated at that date', () => {
    for (const asOf of [20150302, 20160815, 20171229]) {
      const midSeries = analyzeSymbol(real, 0, { ...PARAMS, asOf });
      const cut = analyzeSymbol(truncated(real, 0, asOf), 0, PARAMS);
      assert.ok(midSeries);
      assert.deepEqual(midSeries, cut);
    }
    // The middle symbol of a multi-symbol store, where the neighbours' rows must not leak in.
    const asOf = synthetic.dates[synthetic.offsets[1]! + 400]!;
    assert.deepEqual(
      analyzeSymbol(synthetic, 1, { ...PARAMS, asOf }),
      analyzeSymbol(truncated(synthetic, 1, asOf), 0, PARAMS),
    );
  });

  it('uses the last trading day on or before asOf and reports it', () => {
    // 2016-08-13 was a Saturday: the Friday's bar is the last one used.
    assert.equal(analyzeSymbol(real, 0, { ...PARAMS, asOf: 20160813 })!.asOf, 20160812);
    assert.equal(analyzeSymbol(real, 0, PARAMS)!.asOf, 20180207);
  });

  it('is deterministic: the same inputs give deeply equal results', () => {
    for (let i = 0; i < 2; i++)
      assert.deepEqual(analyzeSymbol(synthetic, i, PARAMS), analyzeSymbol(synthetic, i, PARAMS));
    assert.deepEqual(
      analyzeSymbol(real, 0, PARAMS),
      analyzeSymbol(goldenStore(loadGolden('CHD')), 0, PARAMS),
    );
  });

  it(`returns null with fewer than ${MIN_HISTORY} bars by asOf, and never throws for it`, () => {
    assert.equal(analyzeSymbol(synthetic, 2, PARAMS), null);
    const first = synthetic.offsets[0]!;
    assert.equal(
      analyzeSymbol(synthetic, 0, { ...PARAMS, asOf: synthetic.dates[first + MIN_HISTORY - 2]! }),
      null,
    );
    assert.notEqual(
      analyzeSymbol(synthetic, 0, { ...PARAMS, asOf: synthetic.dates[first + MIN_HISTORY - 1]! }),
      null,
    );
    assert.equal(analyzeSymbol(synthetic, 0, { ...PARAMS, asOf: 19990101 }), null);
  });

  it('throws a RangeError for an index that is not a symbol of the store', () => {
    assert.throws(() => analyzeSymbol(synthetic, 3, PARAMS), RangeError);
    assert.throws(() => analyzeSymbol(synthetic, -1, PARAMS), RangeError);
  });

  it('returns plain data that survives a JSON round trip unchanged', () => {
    const a = analyzeSymbol(real, 0, PARAMS)!;
    assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
    for (const v of Object.values(a.indicators)) assert.ok(Number.isFinite(v));
  });
});
