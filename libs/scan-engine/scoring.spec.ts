import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSymbol } from './analyze.js';
import { syntheticStore } from './fixtures/synthetic.js';
import { cents, signalFor, tradePlan, WEIGHTS } from './scoring.js';
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

describe('tradePlan', () => {
  it('puts the stop 2 ATR below the entry and the target targetRR times the risk above', () => {
    assert.deepEqual(tradePlan(100, 2.5, 10_000, 1, 2), {
      entry: 100,
      stop: 95,
      target: 110,
      shares: 20,
    });
    assert.deepEqual(tradePlan(100, 2.5, 10_000, 1, 3), {
      entry: 100,
      stop: 95,
      target: 115,
      shares: 20,
    });
  });

  it('sizes shares so the loss at the stop is at most riskPct of the account', () => {
    // $50,000 × 2 % = $1,000 at risk; 2 × 1.37 = $2.74 a share → 364.96 → 364 shares.
    const plan = tradePlan(48.5, 1.37, 50_000, 2, 2);
    assert.deepEqual(plan, { entry: 48.5, stop: 45.76, target: 53.98, shares: 364 });
    assert.ok(plan.shares * (plan.entry - plan.stop) <= 1_000);
    assert.ok((plan.shares + 1) * (plan.entry - plan.stop) > 1_000);
  });

  it('counts shares exactly when the risk divides the budget evenly', () => {
    // 0.1 + 0.2 style float noise must not turn 40 shares into 39: $100 / $2.50.
    assert.equal(tradePlan(10.3, 1.25, 10_000, 1, 2).shares, 40);
  });

  it('rounds prices to cents', () => {
    const plan = tradePlan(123.456789, 1.234567, 10_000, 1, 2);
    assert.equal(plan.entry, 123.46);
    assert.equal(plan.stop, 120.99);
    assert.equal(plan.target, 128.4);
    assert.equal(cents(1.005), 1.01);
  });

  it('gives zero shares when there is no risk per share (zero ATR)', () => {
    assert.deepEqual(tradePlan(20, 0, 10_000, 1, 2), {
      entry: 20,
      stop: 20,
      target: 20,
      shares: 0,
    });
  });

  it('never puts the stop below zero', () => {
    const plan = tradePlan(3, 2, 10_000, 1, 2);
    assert.equal(plan.stop, 0);
    assert.equal(plan.target, 9);
    assert.equal(plan.shares, 33);
  });
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
