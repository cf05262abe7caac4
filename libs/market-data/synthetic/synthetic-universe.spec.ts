import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  generateSeries,
  seriesCsv,
  symbolSeed,
  syntheticSymbol,
  tradingDays,
  SYNTHETIC_END_DATE,
} from './synthetic-universe.js';

describe('synthetic seeds', () => {
  it('derives distinct per-symbol seeds', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => symbolSeed(42, i + 1)));
    assert.equal(seeds.size, 10_000);
  });
});

describe('tradingDays', () => {
  it('returns weekdays only, ascending, ending on the embedded set’s last day', () => {
    const days = tradingDays(1260);
    assert.equal(days.length, 1260);
    assert.equal(days.at(-1), SYNTHETIC_END_DATE);
    assert.ok(days.every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())));
    assert.ok(days.every((d, i) => i === 0 || days[i - 1]! < d));
  });
});

describe('generateSeries', () => {
  it('names symbols SYN00001 and up', () => {
    assert.equal(syntheticSymbol(1), 'SYN00001');
    assert.equal(syntheticSymbol(10_000), 'SYN10000');
    assert.throws(() => syntheticSymbol(0), RangeError);
  });

  it('is deterministic: the same seed and index give identical bars', () => {
    assert.deepEqual(generateSeries(7, 3, 300), generateSeries(7, 3, 300));
  });

  it('differs between seeds and between symbols', () => {
    assert.notDeepEqual(generateSeries(7, 3, 50).close, generateSeries(8, 3, 50).close);
    assert.notDeepEqual(generateSeries(7, 3, 50).close, generateSeries(7, 4, 50).close);
  });

  it('keeps low ≤ min(open, close) ≤ max(open, close) ≤ high, positive prices and whole volumes ≥ 100', () => {
    for (let index = 1; index <= 200; index++) {
      const s = generateSeries(99, index, 1260);
      for (let i = 0; i < s.close.length; i++) {
        const [o, h, l, c, v] = [s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!];
        assert.ok(
          l > 0 && l <= Math.min(o, c) && Math.max(o, c) <= h,
          `${s.symbol} bar ${i}: o ${o} h ${h} l ${l} c ${c}`,
        );
        assert.ok(Number.isInteger(v) && v >= 100, `${s.symbol} bar ${i}: volume ${v}`);
        for (const p of [o, h, l, c])
          assert.equal(Math.round(p * 10_000) / 10_000, p, 'four decimals at most');
      }
    }
  });

  it('gives most symbols a 20-day dollar volume above the balanced profile’s 5 M USD', () => {
    let liquid = 0;
    const symbols = 300;
    for (let index = 1; index <= symbols; index++) {
      const s = generateSeries(5, index, 260);
      let dollars = 0;
      for (let i = s.close.length - 20; i < s.close.length; i++)
        dollars += s.close[i]! * s.volume[i]!;
      if (dollars / 20 >= 5e6) liquid++;
    }
    assert.ok(liquid / symbols > 0.6 && liquid / symbols < 0.95, `${liquid} of ${symbols} liquid`);
  });

  it('writes COPY-ready CSV rows, one per bar', () => {
    const s = generateSeries(1, 1, 3);
    const lines = seriesCsv(s, tradingDays(3)).trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[2]!, /^SYN00001,2018-02-07,[\d.]+,[\d.]+,[\d.]+,[\d.]+,\d+$/);
  });
});
