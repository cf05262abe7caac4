import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFor, sideOf, tradePlan } from './plan.js';
import { cents } from './scoring.js';
import type { Signal } from './scan.types.js';

describe('sideOf and planFor', () => {
  const cases: [Signal, string | null][] = [
    ['Strong Long', 'long'],
    ['Long', 'long'],
    ['Avoid', null],
    ['Short', 'short'],
    ['Strong Short', 'short'],
  ];
  for (const [signal, side] of cases) {
    it(`gives a ${signal} signal ${side ? `a ${side} plan` : 'no plan'}`, () => {
      assert.equal(sideOf(signal), side);
      assert.equal(planFor(signal, 100, 2.5, 10_000, 1, 2)?.side ?? null, side);
    });
  }
});

describe('tradePlan, long', () => {
  it('puts the stop 2 ATR below the entry and the target targetRR times the risk above', () => {
    assert.deepEqual(tradePlan('long', 100, 2.5, 10_000, 1, 2), {
      side: 'long',
      entry: 100,
      stop: 95,
      target: 110,
      shares: 20,
      capped: false,
    });
    assert.equal(tradePlan('long', 100, 2.5, 10_000, 1, 3).target, 115);
  });

  it('sizes shares so the loss at the stop is at most riskPct of the account', () => {
    // $50,000 × 2 % = $1,000 at risk; 2 × 1.37 = $2.74 a share → 364.96 → 364 shares.
    const plan = tradePlan('long', 48.5, 1.37, 50_000, 2, 2);
    assert.deepEqual(plan, {
      side: 'long',
      entry: 48.5,
      stop: 45.76,
      target: 53.98,
      shares: 364,
      capped: false,
    });
    assert.ok(plan.shares * (plan.entry - plan.stop) <= 1_000);
    assert.ok((plan.shares + 1) * (plan.entry - plan.stop) > 1_000);
  });

  it('counts shares exactly when the risk divides the budget evenly', () => {
    // 0.1 + 0.2 style float noise must not turn 40 shares into 39: $100 / $2.50.
    assert.equal(tradePlan('long', 10.3, 1.25, 10_000, 1, 2).shares, 40);
  });

  it('rounds prices to cents', () => {
    const plan = tradePlan('long', 123.456789, 1.234567, 10_000, 1, 2);
    assert.equal(plan.entry, 123.46);
    assert.equal(plan.stop, 120.99);
    assert.equal(plan.target, 128.4);
    assert.equal(cents(1.005), 1.01);
  });

  it('never puts the stop below zero', () => {
    const plan = tradePlan('long', 3, 2, 10_000, 1, 2);
    assert.equal(plan.stop, 0);
    assert.equal(plan.target, 9);
    assert.equal(plan.shares, 33);
  });
});

describe('tradePlan, short', () => {
  it('puts the stop 2 ATR above the entry and the target targetRR times the risk below', () => {
    assert.deepEqual(tradePlan('short', 100, 2.5, 10_000, 1, 2), {
      side: 'short',
      entry: 100,
      stop: 105,
      target: 90,
      shares: 20,
      capped: false,
    });
    assert.equal(tradePlan('short', 76.94, 0.97, 10_000, 1, 2).stop, 78.88);
    assert.equal(tradePlan('short', 76.94, 0.97, 10_000, 1, 2).target, 73.06);
  });

  it('never puts the target below zero', () => {
    const plan = tradePlan('short', 3, 2, 10_000, 1, 2);
    assert.equal(plan.stop, 7);
    assert.equal(plan.target, 0);
  });
});

describe('tradePlan, position size', () => {
  // [side, close, atr, accountSize, riskPct, shares, capped]
  const table: [string, number, number, number, number, number, boolean][] = [
    // $10,000 × 5 % = $500 over $0.20 a share = 2,500 shares, but $10,000 buys only 100 at $100.
    ['long', 100, 0.1, 10_000, 5, 100, true],
    ['short', 100, 0.1, 10_000, 5, 100, true],
    // Exactly what the account buys is not capped: $1,000 at risk over $1 a share at $10 → 1,000.
    ['long', 10, 0.5, 10_000, 10, 1_000, false],
    ['long', 50, 1, 10_000, 1, 50, false],
  ];
  for (const [side, close, atr, account, risk, shares, capped] of table) {
    it(`${side} at ${close}, ATR ${atr}, $${account} × ${risk} %: ${shares} shares${capped ? ', capped' : ''}`, () => {
      const plan = tradePlan(side as 'long' | 'short', close, atr, account, risk, 2);
      assert.equal(plan.shares, shares);
      assert.equal(plan.capped, capped);
      assert.ok(plan.shares * plan.entry <= account, 'the position fits the account');
      assert.equal('reason' in plan, false);
    });
  }

  it('says why there are no shares: zero ATR', () => {
    const plan = tradePlan('long', 20, 0, 10_000, 1, 2);
    assert.deepEqual(
      { ...plan, reason: undefined },
      {
        side: 'long',
        entry: 20,
        stop: 20,
        target: 20,
        shares: 0,
        capped: false,
        reason: undefined,
      },
    );
    assert.match(plan.reason!, /ATR is zero/);
  });

  it('says why there are no shares: the account does not buy one', () => {
    // $50 at risk buys 2 shares at $20 each of risk, but $1,000 does not buy one at $2,000.
    const plan = tradePlan('short', 2_000, 10, 1_000, 5, 2);
    assert.equal(plan.shares, 0);
    assert.equal(plan.capped, true);
    assert.equal(plan.reason, 'an account of $1000.00 does not buy one share at $2000.00');
  });

  it('says why there are no shares: the risk budget is below one share’s risk', () => {
    // $1,000 × 0.1 % = $1 at risk; one share risks $8.
    const plan = tradePlan('long', 500, 4, 1_000, 0.1, 2);
    assert.equal(plan.shares, 0);
    assert.equal(plan.capped, false);
    assert.equal(
      plan.reason,
      'risking 0.1% of $1000.00 ($1.00) does not cover the $8.00 one share risks',
    );
  });
});
