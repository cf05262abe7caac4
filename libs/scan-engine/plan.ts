import { cents } from './scoring.js';
import type { PlanSide, Signal, TradePlan } from './scan.types.js';

/** The side a signal trades: Long and Strong Long buy, Short and Strong Short sell; Avoid none. */
export function sideOf(signal: Signal): PlanSide | null {
  if (signal === 'Long' || signal === 'Strong Long') return 'long';
  if (signal === 'Short' || signal === 'Strong Short') return 'short';
  return null;
}

const usd = (x: number) => `$${x.toFixed(2)}`;

/**
 * A plan on `side`: entry at the close, stop 2 ATR away against the trade (a long stop never below
 * 0), target `targetRR` times that risk in the trade's favour (a short target never below 0).
 * Shares risk `riskPct` % of the account, but never more than the account buys at the entry
 * (`capped` then). Prices are rounded to cents first and the counts are computed in whole cents,
 * so they are exact. Zero shares come with the `reason`.
 */
export function tradePlan(
  side: PlanSide,
  close: number,
  atr: number,
  accountSize: number,
  riskPct: number,
  targetRR: number,
): TradePlan {
  const entry = cents(close);
  const stop = side === 'long' ? Math.max(0, cents(entry - 2 * atr)) : cents(entry + 2 * atr);
  const target =
    side === 'long'
      ? cents(entry + targetRR * (entry - stop))
      : Math.max(0, cents(entry - targetRR * (stop - entry)));
  const entryCents = Math.round(entry * 100);
  const riskCents = Math.abs(entryCents - Math.round(stop * 100));
  // accountSize × riskPct / 100 dollars at risk, over riskCents / 100 dollars per share.
  const byRisk = riskCents > 0 ? Math.max(0, Math.floor((accountSize * riskPct) / riskCents)) : 0;
  const byAccount = entryCents > 0 ? Math.floor(Math.round(accountSize * 100) / entryCents) : 0;
  const capped = byRisk > byAccount;
  const shares = capped ? byAccount : byRisk;
  const plan: TradePlan = { side, entry, stop, target, shares, capped };
  if (shares > 0) return plan;
  if (riskCents === 0)
    plan.reason = 'ATR is zero: no distance between entry and stop to size a position by';
  else if (byAccount === 0)
    plan.reason = `an account of ${usd(accountSize)} does not buy one share at ${usd(entry)}`;
  else
    plan.reason = `risking ${riskPct}% of ${usd(accountSize)} (${usd((accountSize * riskPct) / 100)}) does not cover the ${usd(riskCents / 100)} one share risks`;
  return plan;
}

/** The plan a signal calls for: on its side, or null for Avoid. */
export function planFor(
  signal: Signal,
  close: number,
  atr: number,
  accountSize: number,
  riskPct: number,
  targetRR: number,
): TradePlan | null {
  const side = sideOf(signal);
  return side ? tradePlan(side, close, atr, accountSize, riskPct, targetRR) : null;
}
