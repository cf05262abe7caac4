// Dates travel through the engine as YYYYMMDD integers: they sort and compare as numbers, fit an
// Int32Array column, and need no Date object (whose time zone would make "2018-02-07" ambiguous).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * Formats a YYYYMMDD integer as an ISO calendar date: 20180207 → "2018-02-07".
 * @throws RangeError when the number is not a valid YYYYMMDD date.
 */
export function formatDate(yyyymmdd: number): string {
  const year = Math.floor(yyyymmdd / 10000);
  const month = Math.floor(yyyymmdd / 100) % 100;
  const day = yyyymmdd % 100;
  if (
    !Number.isInteger(yyyymmdd) ||
    year < 1 ||
    year > 9999 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new RangeError(`not a YYYYMMDD date: ${yyyymmdd}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Parses an ISO calendar date into a YYYYMMDD integer: "2018-02-07" → 20180207.
 * @throws RangeError when the text is not YYYY-MM-DD or names a day that does not exist (2018-02-30).
 */
export function parseDate(text: string): number {
  const m = ISO_DATE.exec(text);
  const year = m ? Number(m[1]) : 0;
  const month = m ? Number(m[2]) : 0;
  const day = m ? Number(m[3]) : 0;
  if (!m || year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(text)}`);
  }
  return year * 10000 + month * 100 + day;
}

/** Where a requested date falls in a data set's trading days. */
export type AsOfResolution =
  { kind: 'tradingDay'; date: number } | { kind: 'outside'; first: number; last: number };

/**
 * Resolves a requested YYYYMMDD date against the trading days of the data (ascending, each once):
 * the last trading day on or before it, so a weekend or holiday means the trading day before;
 * `outside` with the data's first and last day when the date is before the first or after the last
 * (or there are no days).
 */
export function resolveAsOf(tradingDays: ArrayLike<number>, requested: number): AsOfResolution {
  const n = tradingDays.length;
  const first = n > 0 ? tradingDays[0]! : 0;
  const last = n > 0 ? tradingDays[n - 1]! : 0;
  if (n === 0 || requested < first || requested > last) return { kind: 'outside', first, last };
  // Invariant: days[lo-1] <= requested < days[hi]; the answer is days[lo-1] when the loop ends.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tradingDays[mid]! <= requested) lo = mid + 1;
    else hi = mid;
  }
  return { kind: 'tradingDay', date: tradingDays[lo - 1]! };
}
