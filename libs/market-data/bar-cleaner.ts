/** A bar as read from a CSV: prices may be missing (`null`). */
export interface RawBar {
  symbol: string;
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  volume: number;
}

export interface CleanBar {
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface BarIssue {
  symbol: string;
  date: string;
  reason: string;
}

export interface CleanResult {
  bars: CleanBar[];
  repaired: BarIssue[];
  skipped: BarIssue[];
}

/**
 * A price outside the day's range by more than this fraction of itself is a misprint, not noise
 * (CHD's 2014-05-19 open of 18.77 against a 33.7..33.95 range; LNT's 2016-05-19 close of 17.87).
 */
const MISPRINT_FRACTION = 0.1;

const outside = (price: number, low: number, high: number) =>
  price < low ? (low - price) / price : price > high ? (price - high) / price : 0;

/**
 * Repairs or drops the bars of one symbol, in date order, so that
 * low ≤ min(open, close) ≤ max(open, close) ≤ high holds for every bar kept.
 *
 * - open, high and low all missing (stub rows with no trading range): skipped, because inventing a
 *   range would feed a zero or made-up true range into ATR and ADX;
 * - only open missing: repaired to the previous close, clamped into the day's range;
 * - open far outside the range: repaired to the nearest bound; close far outside: skipped, since the
 *   close is what every indicator is computed from and cannot be invented;
 * - a price slightly outside the range: high/low widened to include it.
 */
export function cleanSymbolBars(rows: readonly RawBar[]): CleanResult {
  const bars: CleanBar[] = [];
  const repaired: BarIssue[] = [];
  const skipped: BarIssue[] = [];
  let previousClose: number | null = null;

  for (const row of rows) {
    const issue = (reason: string): BarIssue => ({ symbol: row.symbol, date: row.date, reason });
    if (!Number.isFinite(row.close) || row.close <= 0) {
      skipped.push(issue('close missing or not positive'));
      continue;
    }
    if (row.high === null || row.low === null) {
      skipped.push(issue(row.open === null ? 'open, high and low missing' : 'high or low missing'));
      continue;
    }
    let { high, low } = row;
    let open = row.open;
    const close = row.close;
    const reasons: string[] = [];
    if (low > high) [low, high] = [high, low];

    if (outside(close, low, high) > MISPRINT_FRACTION) {
      skipped.push(issue(`close ${close} far outside the day's range ${low}..${high}`));
      continue;
    }
    if (open === null) {
      open = Math.min(Math.max(previousClose ?? close, low), high);
      reasons.push('open missing: previous close used');
    } else if (outside(open, low, high) > MISPRINT_FRACTION) {
      const fixed = Math.min(Math.max(open, low), high);
      reasons.push(`open ${open} far outside the range: set to ${fixed}`);
      open = fixed;
    }
    const newLow = Math.min(low, open, close);
    const newHigh = Math.max(high, open, close);
    if (newLow !== low || newHigh !== high) reasons.push('range widened to include open and close');

    bars.push({
      symbol: row.symbol,
      date: row.date,
      open,
      high: newHigh,
      low: newLow,
      close,
      volume: row.volume,
    });
    if (reasons.length > 0) repaired.push(issue(reasons.join('; ')));
    previousClose = close;
  }
  return { bars, repaired, skipped };
}
