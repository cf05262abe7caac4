import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol } from './analyze.js';
import { syntheticStore } from './fixtures/synthetic.js';
import { signalFor, WEIGHTS } from './scoring.js';
import type { ScanParams, Subscores } from './scan.types.js';

const PARAMS: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

describe('signalFor', () => {
  const cases: [number, string][] = [
    [100, 'Strong Long'],
    [75, 'Strong Long'],
    [74.9, 'Long'],
    [60, 'Long'],
    [59.9, 'Avoid'],
    [50, 'Avoid'],
    [40.1, 'Avoid'],
    [40, 'Short'],
    [25.1, 'Short'],
    [25, 'Strong Short'],
    [0, 'Strong Short'],
  ];
  for (const [rating, signal] of cases) {
    it(`calls a rating of ${rating} ${signal}`, () => assert.equal(signalFor(rating), signal));
  }
});

describe('TechRating', () => {
  const store = syntheticStore([
    { symbol: 'UP', seed: 1, bars: 400, drift: 0.004, volatility: 0.01 },
    { symbol: 'DOWN', seed: 2, bars: 400, drift: -0.004, volatility: 0.01 },
    { symbol: 'FLAT', seed: 3, bars: 400, drift: 0, volatility: 0.015 },
    { symbol: 'WILD', seed: 4, bars: 400, drift: 0.0005, volatility: 0.05 },
  ]);
  const analyses = store.symbols.map((_, i) => analyzeSymbol(store, i, PARAMS)!);

  it('is 50 + 50 × the 3/3/2/1/1/1-weighted mean of the subscores, to one decimal', () => {
    for (const a of analyses) {
      const keys = Object.keys(WEIGHTS) as (keyof Subscores)[];
      const mean = keys.reduce((sum, k) => sum + WEIGHTS[k] * a.subscores[k], 0) / 11;
      assert.equal(a.techRating, Math.round((50 + 50 * mean) * 10) / 10, a.symbol);
      assert.equal(a.techRating, Math.round(a.techRating * 10) / 10);
    }
  });

  it('keeps every subscore in [-1, 1] and the rating in [0, 100]', () => {
    for (const a of analyses) {
      for (const v of Object.values(a.subscores)) assert.ok(v >= -1 && v <= 1, `${a.symbol}: ${v}`);
      assert.ok(a.techRating >= 0 && a.techRating <= 100);
    }
  });

  it('rates a steady uptrend Strong Long and a steady downtrend Strong Short', () => {
    const [up, down] = analyses;
    assert.equal(up!.signal, 'Strong Long', `UP rated ${up!.techRating}`);
    assert.equal(down!.signal, 'Strong Short', `DOWN rated ${down!.techRating}`);
    assert.ok(up!.subscores.trend > 0.5 && down!.subscores.trend < -0.5);
  });

  it('marks a very volatile symbol down on volatility', () => {
    const wild = analyses[3]!;
    assert.ok(wild.indicators.atrPct > 4, `atrPct ${wild.indicators.atrPct}`);
    assert.ok(wild.subscores.volatility < 0);
  });

  it('explains the rating in one line that ends with the ATR', () => {
    for (const a of analyses) {
      assert.doesNotMatch(a.rationale, /\n|NaN|undefined|Infinity/);
      assert.match(a.rationale, /; ATR \d+\.\d% of price$/);
    }
    assert.match(analyses[0]!.rationale, /^Uptrend/);
    assert.match(analyses[1]!.rationale, /^Downtrend/);
  });
});
