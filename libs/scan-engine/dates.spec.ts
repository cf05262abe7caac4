import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate, parseDate } from './dates.js';

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
