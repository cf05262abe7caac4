/**
 * All symbols' bars in one columnar store; symbol i owns rows offsets[i] .. offsets[i+1]-1, in
 * date order. Columns are typed arrays so the engine walks them without boxing or per-bar objects.
 */
export interface BarStore {
  /** Symbols in store order (length n). */
  symbols: string[];
  /** Row ranges per symbol (length n+1): symbol i owns rows offsets[i] .. offsets[i+1]-1. */
  offsets: Int32Array;
  /** Trading dates as YYYYMMDD integers, e.g. 20180207; ascending within a symbol. */
  dates: Int32Array;
  /** Prices in USD. */
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Shares traded. */
  volume: Float64Array;
}

const DEFAULT_CAPACITY = 1024;

/**
 * Builds a {@link BarStore} row by row. Rows must come grouped by symbol with dates ascending,
 * which is the order a `ORDER BY symbol, date` query or the embedded CSV yields; the builder checks
 * it because a misordered row would silently corrupt every indicator of that symbol.
 */
export class BarStoreBuilder {
  private capacity: number;
  private rows = 0;
  private dates: Int32Array;
  private open: Float64Array;
  private high: Float64Array;
  private low: Float64Array;
  private close: Float64Array;
  private volume: Float64Array;
  private readonly symbols: string[] = [];
  private readonly starts: number[] = [];
  private readonly seen = new Set<string>();
  private current: string | undefined;

  /** @param expectedRows total rows expected; sizing up front avoids regrowing the columns. */
  constructor(expectedRows = DEFAULT_CAPACITY) {
    this.capacity = Math.max(1, Math.floor(expectedRows));
    this.dates = new Int32Array(this.capacity);
    this.open = new Float64Array(this.capacity);
    this.high = new Float64Array(this.capacity);
    this.low = new Float64Array(this.capacity);
    this.close = new Float64Array(this.capacity);
    this.volume = new Float64Array(this.capacity);
  }

  /**
   * Appends one daily bar. Rows must come grouped by symbol, dates ascending.
   * @throws Error when a symbol reappears after another one, or a date does not increase.
   */
  append(
    symbol: string,
    date: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
  ): void {
    if (symbol !== this.current) {
      if (this.seen.has(symbol))
        throw new Error(`BarStoreBuilder: rows of ${symbol} are not grouped together`);
      this.seen.add(symbol);
      this.symbols.push(symbol);
      this.starts.push(this.rows);
      this.current = symbol;
    } else if (date <= this.dates[this.rows - 1]!) {
      throw new Error(
        `BarStoreBuilder: ${symbol} date ${date} does not follow ${this.dates[this.rows - 1]}`,
      );
    }
    if (this.rows === this.capacity) this.grow();
    const r = this.rows++;
    this.dates[r] = date;
    this.open[r] = open;
    this.high[r] = high;
    this.low[r] = low;
    this.close[r] = close;
    this.volume[r] = volume;
  }

  /** Returns the store; columns are trimmed to the rows appended. The builder should not be reused. */
  build(): BarStore {
    const n = this.symbols.length;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i] = this.starts[i]!;
    offsets[n] = this.rows;
    // slice (a copy) rather than subarray so unused capacity is released with the builder.
    const trim = <T extends Float64Array | Int32Array>(a: T): T =>
      a.length === this.rows ? a : (a.slice(0, this.rows) as T);
    return {
      symbols: this.symbols.slice(),
      offsets,
      dates: trim(this.dates),
      open: trim(this.open),
      high: trim(this.high),
      low: trim(this.low),
      close: trim(this.close),
      volume: trim(this.volume),
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.dates = grow(this.dates, (n) => new Int32Array(n));
    this.open = grow(this.open, (n) => new Float64Array(n));
    this.high = grow(this.high, (n) => new Float64Array(n));
    this.low = grow(this.low, (n) => new Float64Array(n));
    this.close = grow(this.close, (n) => new Float64Array(n));
    this.volume = grow(this.volume, (n) => new Float64Array(n));
  }
}

/**
 * Last row of symbol i dated on or before `asOf` (binary search within the symbol's rows), or
 * offsets[i] - 1 when it has none. `asOf` undefined means the symbol's last row.
 */
export function endRowAsOf(store: BarStore, i: number, asOf: number | undefined): number {
  const first = store.offsets[i]!;
  const last = store.offsets[i + 1]! - 1;
  if (asOf === undefined || last < first || store.dates[last]! <= asOf) return last;
  // Invariant: dates[lo-1] <= asOf < dates[hi+1]; the answer is hi when the loop ends.
  let lo = first;
  let hi = last;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (store.dates[mid]! <= asOf) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}
