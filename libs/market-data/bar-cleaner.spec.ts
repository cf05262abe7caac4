import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanSymbolBars, type RawBar } from './bar-cleaner.js';

const bar = (
  date: string,
  open: number | null,
  high: number | null,
  low: number | null,
  close: number,
): RawBar => ({
  symbol: 'T',
  date,
  open,
  high,
  low,
  close,
  volume: 100,
});

describe('cleanSymbolBars', () => {
  it('keeps consistent bars unchanged and reports nothing', () => {
    const result = cleanSymbolBars([bar('2020-01-02', 10, 11, 9, 10.5)]);
    assert.deepEqual(result.bars[0], {
      symbol: 'T',
      date: '2020-01-02',
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 100,
    });
    assert.equal(result.repaired.length, 0);
    assert.equal(result.skipped.length, 0);
  });

  it('skips a stub bar with open, high and low missing', () => {
    const result = cleanSymbolBars([bar('2020-01-02', null, null, null, 10)]);
    assert.equal(result.bars.length, 0);
    assert.match(result.skipped[0]!.reason, /open, high and low missing/);
  });

  it('repairs a missing open with the previous close clamped into the range', () => {
    const result = cleanSymbolBars([
      bar('2020-01-02', 10, 12.5, 9, 12),
      bar('2020-01-03', null, 11.5, 10.5, 11),
    ]);
    assert.equal(result.bars[1]!.open, 11.5);
    assert.equal(result.repaired.length, 1);
  });

  it('skips a close far outside the day range (the LNT 2016-05-19 misprint)', () => {
    const result = cleanSymbolBars([bar('2016-05-19', 35.19, 35.785, 35.085, 17.87)]);
    assert.equal(result.bars.length, 0);
    assert.match(result.skipped[0]!.reason, /close 17.87 far outside/);
  });

  it('moves an open far outside the range to the nearest bound (the CHD 2014-05-19 misprint)', () => {
    const result = cleanSymbolBars([bar('2014-05-19', 18.77, 33.9525, 33.695, 33.895)]);
    assert.equal(result.bars[0]!.open, 33.695);
    assert.equal(result.bars[0]!.low, 33.695);
  });

  it('widens the range when the close lies slightly outside it', () => {
    const result = cleanSymbolBars([bar('2014-05-28', 176.23, 176.6, 174.5, 165.42)]);
    assert.equal(result.bars[0]!.low, 165.42);
    assert.equal(result.bars[0]!.high, 176.6);
    assert.equal(result.repaired.length, 1);
  });
});
