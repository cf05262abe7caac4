import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Analysis } from './support/api-types.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

/** TA-Lib's values for AAPL (libs/scan-engine/fixtures, generated through node-talib from the embedded CSV). */
const golden = JSON.parse(readFileSync('libs/scan-engine/fixtures/golden-AAPL.json', 'utf8')) as {
  bars: { dates: number[]; close: number[] };
  series: Record<string, number[]>;
};
const last = (name: string) => golden.series[name]![golden.series[name]!.length - 1]!;

/** The API rounds for display; equal means within half a unit of the last decimal shown. */
const close = (actual: number, expected: number, decimals: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= 0.5 * 10 ** -decimals + 1e-9,
    `${what}: ${actual} vs reference ${expected}`,
  );

describe('GET /v1/items/{symbol}/analysis', () => {
  const stack = useStack({ api: true, keys: { key: 'read' } });
  const analysis = (symbol: string, query = '') =>
    stack.call<Analysis>(`/v1/items/${symbol}/analysis${query}`, { key: stack.keys.key });

  it("returns AAPL's indicators on 2018-02-07 equal to TA-Lib's", async () => {
    const res = await analysis('AAPL', '?asOf=2018-02-07');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hit = res.body;
    assert.equal(hit.symbol, 'AAPL');
    assert.equal(hit.asOf, '2018-02-07');
    const price = golden.bars.close[golden.bars.close.length - 1]!;
    const i = hit.indicators;
    assert.equal(i.close, price);
    close(i.sma20, last('sma20'), 4, 'sma20');
    close(i.sma50, last('sma50'), 4, 'sma50');
    close(i.sma200, last('sma200'), 4, 'sma200');
    close(i.rsi14, last('rsi14'), 2, 'rsi14');
    close(i.macdHist, last('macdHist'), 4, 'macdHist');
    close(i.adx14, last('adx14'), 2, 'adx14');
    close(i.roc20, last('roc20'), 2, 'roc20');
    close(i.atrPct, (last('atr14') / price) * 100, 2, 'atrPct');
    close(i.dist52wHigh, (price / last('high252') - 1) * 100, 2, 'dist52wHigh');
    close(i.avgDollarVolume20, last('avgDollarVolume20'), 0, 'avgDollarVolume20');
    for (const field of [
      'signal',
      'techRating',
      'subscores',
      'plan',
      'rationale',
      'name',
      'sector',
    ])
      assert.ok(field in hit, field);
  });

  it('uses only bars up to asOf', async () => {
    const res = await analysis('AAPL', '?asOf=2016-06-30');
    assert.equal(res.status, 200);
    assert.equal(res.body.asOf, '2016-06-30');
    const [{ close: c }] = (await stack.ds.query(
      `SELECT close FROM price_bars WHERE symbol = 'AAPL' AND date = '2016-06-30'`,
    )) as { close: number }[];
    assert.equal(res.body.indicators.close, c);
  });

  it('answers 404 for an unknown symbol and 422 for too little history', async () => {
    assertProblem(await analysis('NOPE'), 404);
    assertProblem(await analysis('APTV'), 422);
    assertProblem(await analysis('AAPL', '?asOf=2013-03-01'), 422);
    assertProblem(await analysis('AAPL', '?asOf=yesterday'), 400);
  });
});
