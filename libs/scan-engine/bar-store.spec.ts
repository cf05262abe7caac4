import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BarStoreBuilder, endRowAsOf } from './bar-store.js';

function twoSymbols() {
  const b = new BarStoreBuilder(2); // smaller than the rows, so the columns must grow
  b.append('AAA', 20180102, 1, 2, 0.5, 1.5, 100);
  b.append('AAA', 20180103, 1.5, 2.5, 1, 2, 200);
  b.append('AAA', 20180105, 2, 3, 1.5, 2.5, 300);
  b.append('BBB', 20180103, 10, 11, 9, 10.5, 1000);
  return b.build();
}

describe('BarStoreBuilder', () => {
  it('lays symbols out in columns with offsets, in append order', () => {
    const s = twoSymbols();
    assert.deepEqual(s.symbols, ['AAA', 'BBB']);
    assert.deepEqual([...s.offsets], [0, 3, 4]);
    assert.deepEqual([...s.dates], [20180102, 20180103, 20180105, 20180103]);
    assert.deepEqual([...s.close], [1.5, 2, 2.5, 10.5]);
    assert.deepEqual([...s.volume], [100, 200, 300, 1000]);
    assert.equal(s.open.length, 4);
  });

  it('builds an empty store with one offset', () => {
    const s = new BarStoreBuilder().build();
    assert.deepEqual(s.symbols, []);
    assert.deepEqual([...s.offsets], [0]);
    assert.equal(s.close.length, 0);
  });

  it('rejects a symbol whose rows are not grouped together', () => {
    const b = new BarStoreBuilder();
    b.append('AAA', 20180102, 1, 1, 1, 1, 1);
    b.append('BBB', 20180102, 1, 1, 1, 1, 1);
    assert.throws(() => b.append('AAA', 20180103, 1, 1, 1, 1, 1), /not grouped/);
  });

  it('rejects dates that do not increase within a symbol', () => {
    const b = new BarStoreBuilder();
    b.append('AAA', 20180103, 1, 1, 1, 1, 1);
    assert.throws(() => b.append('AAA', 20180103, 1, 1, 1, 1, 1), /does not follow/);
    assert.throws(() => b.append('AAA', 20180102, 1, 1, 1, 1, 1), /does not follow/);
  });
});

describe('endRowAsOf', () => {
  const s = twoSymbols();

  it('is the last row when asOf is undefined or after the last bar', () => {
    assert.equal(endRowAsOf(s, 0, undefined), 2);
    assert.equal(endRowAsOf(s, 0, 20990101), 2);
  });

  it('is the row of asOf itself when it is a trading day', () => {
    assert.equal(endRowAsOf(s, 0, 20180103), 1);
    assert.equal(endRowAsOf(s, 0, 20180102), 0);
  });

  it('is the previous trading day when asOf falls between bars', () => {
    assert.equal(endRowAsOf(s, 0, 20180104), 1);
  });

  it('is before the symbol range when asOf precedes its first bar', () => {
    assert.equal(endRowAsOf(s, 0, 20180101), -1);
    assert.equal(endRowAsOf(s, 1, 20180102), 2);
  });
});
