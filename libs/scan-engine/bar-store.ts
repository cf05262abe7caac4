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

type Column = Float64Array | Int32Array;
type ColumnType<T extends Column> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  BYTES_PER_ELEMENT: number;
};

/** A zeroed column of `length`, on a SharedArrayBuffer when `shared` (worker threads then read it in place). */
function column<T extends Column>(type: ColumnType<T>, length: number, shared: boolean): T {
  return shared
    ? new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT), 0, length)
    : new type(length);
}

/** The first `length` values of `a` in a column of their own (shared or not). */
function copyColumn<T extends Column>(a: T, length: number, shared: boolean): T {
  const type = a.constructor as ColumnType<T>;
  const b = column(type, length, shared);
  b.set(a.subarray(0, length) as never);
  return b;
}

const COLUMNS = ['offsets', 'dates', 'open', 'high', 'low', 'close', 'volume'] as const;

/** True when every column of `store` lives on a SharedArrayBuffer (postMessage shares it, no copy). */
export function isShared(store: BarStore): boolean {
  return COLUMNS.every((name) => store[name].buffer instanceof SharedArrayBuffer);
}

/**
 * `store` with its columns on SharedArrayBuffers: the store itself when they already are, else a
 * one-time copy (a loader that builds with `{ shared: true }` never pays it).
 */
export function toShared(store: BarStore): BarStore {
  if (isShared(store)) return store;
  const copy = <T extends Column>(a: T): T =>
    a.buffer instanceof SharedArrayBuffer ? a : copyColumn(a, a.length, true);
  return {
    symbols: store.symbols,
    offsets: copy(store.offsets),
    dates: copy(store.dates),
    open: copy(store.open),
    high: copy(store.high),
    low: copy(store.low),
    close: copy(store.close),
    volume: copy(store.volume),
  };
}

/**
 * Moves `store`'s columns onto SharedArrayBuffers in place, one column at a time, so that at most
 * one column is held twice while it runs (toShared's copy of a whole 12.6 M-bar store would hold
 * all of them twice: 0.55 GB). For a store already built; nothing happens when it is shared.
 */
export function shareInPlace(store: BarStore): void {
  for (const _ of shareInSteps(store));
}

/**
 * shareInPlace in steps of at most `step` values copied: the caller yields to its event loop
 * between steps (a worker renewing its job lock must not be held for the whole 0.55 GB copy). A
 * column is swapped in only once whole, so the store stays readable between steps.
 */
export function* shareInSteps(store: BarStore, step = 1 << 20): Generator<void, void> {
  for (const name of COLUMNS) {
    const a: Column = store[name];
    if (a.buffer instanceof SharedArrayBuffer) continue;
    const b = column(a.constructor as ColumnType<Column>, a.length, true);
    for (let i = 0; i < a.length; i += step) {
      b.set(a.subarray(i, i + step) as never, i);
      yield;
    }
    (store as Record<typeof name, Column>)[name] = b;
  }
}

export interface BarStoreBuilderOptions {
  /**
   * Columns on SharedArrayBuffers, so that worker threads scanning shares of the universe read the
   * same memory (see toShared). Off by default: a plain ArrayBuffer is what a single thread needs.
   */
  shared?: boolean;
}

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
  private readonly shared: boolean;

  /**
   * @param expectedRows total rows expected; sizing up front avoids regrowing the columns.
   * @param options `shared`: allocate the columns on SharedArrayBuffers.
   */
  constructor(expectedRows = DEFAULT_CAPACITY, options: BarStoreBuilderOptions = {}) {
    this.shared = options.shared === true;
    this.capacity = Math.max(1, Math.floor(expectedRows));
    this.dates = column(Int32Array, this.capacity, this.shared);
    this.open = column(Float64Array, this.capacity, this.shared);
    this.high = column(Float64Array, this.capacity, this.shared);
    this.low = column(Float64Array, this.capacity, this.shared);
    this.close = column(Float64Array, this.capacity, this.shared);
    this.volume = column(Float64Array, this.capacity, this.shared);
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
    const offsets = column(Int32Array, n + 1, this.shared);
    for (let i = 0; i < n; i++) offsets[i] = this.starts[i]!;
    offsets[n] = this.rows;
    // A copy rather than subarray so unused capacity is released with the builder.
    const trim = <T extends Column>(a: T): T =>
      a.length === this.rows ? a : copyColumn(a, this.rows, this.shared);
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
    const grow = <T extends Column>(a: T): T => {
      const b = column(a.constructor as ColumnType<T>, this.capacity, this.shared);
      b.set(a as never);
      return b;
    };
    this.dates = grow(this.dates);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
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
