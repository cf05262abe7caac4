import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate, parseDate, resolveAsOf } from './dates.js';

describe('formatDate and parseDate', () => {
  it('formats a YYYYMMDD integer as an ISO date', () => {
    assert.equal(formatDate(20180207), '2018-02-07');
    assert.equal(formatDate(20131231), '2013-12-31');
  });

  it('parses an ISO date into a YYYYMMDD integer', () => {
    assert.equal(parseDate('2018-02-07'), 20180207);
    assert.equal(parseDate('2016-02-29'), 20160229);
  });

  it('round-trips every day of a leap year', () => {
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= 29; day++) {
        const n = 20160000 + month * 100 + day;
        assert.equal(parseDate(formatDate(n)), n);
      }
    }
  });

  it('rejects text that is not a real YYYY-MM-DD day', () => {
    for (const bad of [
      '2018-2-7',
      '20180207',
      '2018-02-30',
      '2017-02-29',
      '2018-13-01',
      '2018-00-10',
      '',
      '2018-02-07T00:00:00Z',
    ]) {
      assert.throws(() => parseDate(bad), RangeError, bad);
    }
  });

  it('rejects numbers that are not YYYYMMDD dates', () => {
    for (const bad of [2018020, 20180230, 20181301, 20180207.5, NaN])
      assert.throws(() => formatDate(bad), RangeError, String(bad));
  });
});

describe('resolveAsOf', () => {
  // Thu 2016-08-11, Fri 08-12, Mon 08-15 (a weekend between), Wed 08-17 (a holiday on the 16th).
  const days = Int32Array.from([20160811, 20160812, 20160815, 20160817]);
  const table: [number, ReturnType<typeof resolveAsOf>][] = [
    [20160812, { kind: 'tradingDay', date: 20160812 }],
    [20160813, { kind: 'tradingDay', date: 20160812 }],
    [20160814, { kind: 'tradingDay', date: 20160812 }],
    [20160815, { kind: 'tradingDay', date: 20160815 }],
    [20160816, { kind: 'tradingDay', date: 20160815 }],
    [20160811, { kind: 'tradingDay', date: 20160811 }],
    [20160817, { kind: 'tradingDay', date: 20160817 }],
    [20160810, { kind: 'outside', first: 20160811, last: 20160817 }],
    [20160818, { kind: 'outside', first: 20160811, last: 20160817 }],
    [19990101, { kind: 'outside', first: 20160811, last: 20160817 }],
    [20300101, { kind: 'outside', first: 20160811, last: 20160817 }],
  ];
  for (const [requested, expected] of table) {
    it(`resolves ${requested} to ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(resolveAsOf(days, requested), expected));
  }

  it('calls every date outside when there are no trading days', () =>
    assert.deepEqual(resolveAsOf([], 20160812), { kind: 'outside', first: 0, last: 0 }));
});
