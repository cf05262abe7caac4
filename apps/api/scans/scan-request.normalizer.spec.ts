import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemException, type ProblemBody } from '../http/problem.js';
import { isCalendarDate, normalizeScanRequest, requestHash } from './scan-request.normalizer.js';

describe('normalizeScanRequest', () => {
  it('refuses asOf in year 0, which the worker cannot parse (fuzz finding: 202, then three failed attempts)', () => {
    assert.throws(
      () => normalizeScanRequest({ asOf: '0000-01-01' }),
      (e: unknown) => e instanceof ProblemException && e.getStatus() === 400,
    );
  });

  it('keeps accepting real days at the ends of the range', () => {
    assert.equal(normalizeScanRequest({ asOf: '0001-01-01' }).asOf, '0001-01-01');
    assert.equal(normalizeScanRequest({ asOf: '9999-12-31' }).asOf, '9999-12-31');
  });
});

describe('normalizeScanRequest direction', () => {
  it('makes the default direction explicit, so {} and {direction: "long"} hash alike', () => {
    assert.equal(normalizeScanRequest({}).direction, 'long');
    assert.equal(
      requestHash(normalizeScanRequest({})),
      requestHash(normalizeScanRequest({ direction: 'long' })),
    );
    assert.notEqual(
      requestHash(normalizeScanRequest({})),
      requestHash(normalizeScanRequest({ direction: 'short' })),
    );
  });

  it('keeps the requested date beside asOf until the service resolves the trading day', () => {
    const r = normalizeScanRequest({ asOf: '2018-02-03' });
    assert.deepEqual([r.asOf, r.asOfRequested], ['2018-02-03', '2018-02-03']);
    assert.deepEqual(
      [normalizeScanRequest({}).asOf, normalizeScanRequest({}).asOfRequested],
      [null, null],
    );
  });
});

describe('normalizeScanRequest errors', () => {
  it('names unknown sectors and malformed symbols by their index in the request', () => {
    try {
      normalizeScanRequest({ sectors: ['technology', 'nope'], symbols: ['aapl', '1AB'] });
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof ProblemException);
      const p = e.getResponse() as ProblemBody;
      assert.deepEqual(
        p.errors?.map((x) => x.field),
        ['sectors[1]', 'symbols[1]'],
      );
      assert.match(
        p.errors![0]!.message,
        /^sectors\[1\] "nope" is not a sector \(valid sectors: .*Energy/,
      );
      assert.equal(p.errors![1]!.message, 'symbols[1] "1AB" is not a symbol');
    }
  });
});

describe('isCalendarDate', () => {
  it('accepts only days that exist', () => {
    for (const ok of ['2016-02-29', '2018-02-07', '0001-01-01'])
      assert.equal(isCalendarDate(ok), true, ok);
    for (const bad of ['2017-02-29', '2016-02-30', '0000-01-01', '9999-99-99', '2018-2-7', ''])
      assert.equal(isCalendarDate(bad), false, bad);
  });
});
