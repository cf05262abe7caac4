import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol, MIN_HISTORY } from './analyze.js';
import { GOLDEN_SYMBOLS, goldenStore, loadGolden } from './fixtures/golden-fixture.js';
import { computeIndicators, IndicatorSnapshot } from './indicators.js';
import type { ScanParams } from './scan.types.js';

/** DESIGN §5: indicator values must match the reference to 1e-9 relative. */
const TOLERANCE = 1e-9;
const PARAMS: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

const relativeError = (mine: number, ref: number) =>
  mine === ref ? 0 : Math.abs(mine - ref) / Math.max(Math.abs(mine), Math.abs(ref));

describe('indicators against TA-Lib (golden fixtures from the embedded data)', () => {
  for (const symbol of GOLDEN_SYMBOLS) {
    const fixture = loadGolden(symbol);
    const store = goldenStore(fixture);
    const series = Object.entries(fixture.series);

    it(`${symbol}: every indicator of the last ${fixture.bars.close.length - fixture.firstRow} bars matches to 1e-9 relative`, (t) => {
      const snap = new IndicatorSnapshot();
      let worst = 0;
      let compared = 0;
      for (let row = fixture.firstRow; row < fixture.bars.close.length; row++) {
        // Each row is its own point-in-time computation from the first bar: the engine's only path.
        computeIndicators(store, 0, row, snap);
        for (const [name, values] of series) {
          const ref = values[row - fixture.firstRow]!;
          const mine = snap[name as keyof IndicatorSnapshot];
          if (ref === null) {
            // TA-Lib has no value inside its lookback; neither do we, except the 52-week high,
            // which uses the bars there are.
            if (name !== 'high252')
              assert.ok(Number.isNaN(mine), `${name} at row ${row} should be NaN, is ${mine}`);
            continue;
          }
          const err = relativeError(mine, ref);
          assert.ok(
            err <= TOLERANCE,
            `${name} at row ${row} (${fixture.bars.dates[row]}): ${mine} vs TA-Lib ${ref} (relative error ${err})`,
          );
          worst = Math.max(worst, err);
          compared++;
        }
      }
      t.diagnostic(`${compared} values compared, max relative error ${worst.toExponential(2)}`);
      if (fixture.bars.close.length > 100) assert.ok(compared > 1000);
    });
  }

  it('keeps the rows the fixtures leave out on record (empty open, high or low in the CSV)', () => {
    assert.deepEqual(loadGolden('DHR').skippedRows, ['2015-07-17', '2016-01-12']);
    assert.deepEqual(loadGolden('O').skippedRows, ['2015-07-17', '2016-01-12']);
    assert.deepEqual(loadGolden('FTV').skippedRows, ['2016-07-01']);
  });

  it('returns null for a symbol with too short a history (APTV, 44 bars)', () => {
    const store = goldenStore(loadGolden('APTV'));
    assert.equal(store.close.length, 44);
    assert.equal(analyzeSymbol(store, 0, PARAMS), null);
  });

  it('analyzes a symbol with a few hundred bars once it has MIN_HISTORY of them (FTV)', () => {
    const fixture = loadGolden('FTV');
    const store = goldenStore(fixture);
    const enough = fixture.bars.dates[MIN_HISTORY - 1]!;
    const tooFew = fixture.bars.dates[MIN_HISTORY - 2]!;
    assert.equal(analyzeSymbol(store, 0, { ...PARAMS, asOf: tooFew }), null);
    assert.equal(analyzeSymbol(store, 0, { ...PARAMS, asOf: enough })?.asOf, enough);
    assert.equal(analyzeSymbol(store, 0, PARAMS)?.asOf, fixture.bars.dates.at(-1));
  });

  it('reports the indicators of a real symbol within their ranges and units', () => {
    const analysis = analyzeSymbol(goldenStore(loadGolden('AAPL')), 0, PARAMS)!;
    const i = analysis.indicators;
    assert.equal(analysis.asOf, 20180207);
    assert.equal(i.close, 159.54);
    assert.ok(i.rsi14 >= 0 && i.rsi14 <= 100);
    assert.ok(i.adx14 >= 0 && i.adx14 <= 100);
    assert.ok(i.dist52wHigh <= 0);
    assert.ok(i.atrPct > 0.5 && i.atrPct < 10, `atrPct ${i.atrPct} should be a percent`);
    assert.ok(i.avgDollarVolume20 > 1e9, 'AAPL trades billions of dollars a day');
  });
});
