import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemException, type ProblemBody } from '../http/problem.js';
import { checkWatchlist } from './scan-filters.js';

const SECTORS = new Map([
  ['AAPL', 'Information Technology'],
  ['MSFT', 'Information Technology'],
  ['XOM', 'Energy'],
]);

function refusal(fn: () => void): ProblemBody {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ProblemException);
    return e.getResponse() as ProblemBody;
  }
  assert.fail('accepted');
}

describe('checkWatchlist', () => {
  it('names unknown or inactive symbols by their index in the request', () => {
    const p = refusal(() =>
      checkWatchlist(
        { symbols: ['aapl', ' nope1 ', 'MSFT', 'ZZZ'] },
        { sectors: null, symbols: ['AAPL', 'MSFT', 'NOPE1', 'ZZZ'] },
        SECTORS,
      ),
    );
    assert.deepEqual(p.errors, [
      { field: 'symbols[1]', message: 'symbols[1] NOPE1 is unknown or inactive' },
      { field: 'symbols[3]', message: 'symbols[3] ZZZ is unknown or inactive' },
    ]);
  });

  it('refuses symbols none of which is in the sectors, saying where they are', () => {
    const p = refusal(() =>
      checkWatchlist(
        { symbols: ['MSFT', 'AAPL'] },
        { sectors: ['Energy', 'Utilities'], symbols: ['AAPL', 'MSFT'] },
        SECTORS,
      ),
    );
    assert.equal(p.status, 400);
    assert.deepEqual(
      p.errors?.map((e) => e.field),
      ['symbols'],
    );
    assert.match(
      p.detail,
      /none of the symbols \(AAPL, MSFT\) is in the sectors Energy, Utilities/,
    );
    assert.match(p.detail, /they are in Information Technology\./);
  });

  it('lets filters through that overlap in one symbol, or that are not both given', () => {
    checkWatchlist(
      { symbols: ['AAPL', 'XOM'] },
      { sectors: ['Energy'], symbols: ['AAPL', 'XOM'] },
      SECTORS,
    );
    checkWatchlist({ symbols: ['AAPL'] }, { sectors: null, symbols: ['AAPL'] }, SECTORS);
    checkWatchlist({}, { sectors: ['Energy'], symbols: null }, new Map());
  });
});
