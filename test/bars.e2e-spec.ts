import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BARS_PATH, measureBars } from '../bench/http/bars.js';
import type { Bars } from './support/api-types.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

describe('GET /v1/items/{symbol}/bars', () => {
  const stack = useStack({ api: true, keys: { read: 'read', predict: 'predict' } });
  const bars = (query: string, headers: Record<string, string> = {}, symbol = 'AAPL') =>
    stack.call<Bars>(`/v1/items/${symbol}/bars${query}`, { key: stack.keys.read, headers });
  const aaplRows = () =>
    stack.ds.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, open, high, low, close, volume::float8 AS volume
       FROM price_bars WHERE symbol = 'AAPL' ORDER BY date`,
    ) as Promise<
      { date: string; open: number; high: number; low: number; close: number; volume: number }[]
    >;

  it('returns every daily bar of five years as columns, oldest first, equal to the stored rows', async () => {
    const rows = await aaplRows();
    const res = await bars('');
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const b = res.body;
    assert.equal(b.symbol, 'AAPL');
    assert.equal(b.interval, 'day');
    assert.ok(rows.length > 1200, `${rows.length} AAPL bars`);
    assert.deepEqual(
      b.t,
      rows.map((r) => r.date),
    );
    assert.deepEqual(
      b.o,
      rows.map((r) => r.open),
    );
    assert.deepEqual(
      b.h,
      rows.map((r) => r.high),
    );
    assert.deepEqual(
      b.l,
      rows.map((r) => r.low),
    );
    assert.deepEqual(
      b.c,
      rows.map((r) => r.close),
    );
    assert.deepEqual(
      b.v,
      rows.map((r) => r.volume),
    );
  });

  it('bounds the range with from/to and keeps the newest `limit` points', async () => {
    const ranged = await bars('?from=2018-01-02&to=2018-01-31');
    assert.equal(ranged.status, 200);
    assert.equal(ranged.body.t[0], '2018-01-02');
    assert.equal(ranged.body.t.at(-1), '2018-01-31');
    assert.equal(ranged.body.t.length, 21);
    const last = await bars('?to=2018-01-31&limit=3');
    assert.deepEqual(last.body.t, ['2018-01-29', '2018-01-30', '2018-01-31']);
    const empty = await bars('?from=2030-01-01');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, {
      symbol: 'AAPL',
      interval: 'day',
      t: [],
      o: [],
      h: [],
      l: [],
      c: [],
      v: [],
    });
  });

  it('aggregates weeks and months: first open, highest high, lowest low, last close, summed volume', async () => {
    const days = (await aaplRows()).filter((r) => r.date >= '2018-01-01' && r.date <= '2018-01-31');
    const month = await bars('?interval=month&from=2018-01-01&to=2018-01-31');
    assert.equal(month.status, 200);
    const m = month.body;
    assert.equal(m.interval, 'month');
    assert.deepEqual(m.t, [days[0]!.date]);
    assert.deepEqual(m.o, [days[0]!.open]);
    assert.deepEqual(m.h, [Math.max(...days.map((d) => d.high))]);
    assert.deepEqual(m.l, [Math.min(...days.map((d) => d.low))]);
    assert.deepEqual(m.c, [days.at(-1)!.close]);
    assert.deepEqual(m.v, [days.reduce((a, d) => a + d.volume, 0)]);
    const weeks = await bars('?interval=week&from=2018-01-01&to=2018-01-31');
    // Weeks starting Mon 1, 8, 15, 22 and 29 January; each dated by its first trading day.
    assert.deepEqual(weeks.body.t, [
      '2018-01-02',
      '2018-01-08',
      '2018-01-16',
      '2018-01-22',
      '2018-01-29',
    ]);
    const fiveYears = await bars('?interval=week');
    assert.ok(fiveYears.body.t.length > 250 && fiveYears.body.t.length < 265);
  });

  it('answers 304 to If-None-Match with its ETag, and a 200 for another query', async () => {
    const first = await bars('?interval=week&limit=10');
    const etag = first.headers.get('etag');
    assert.ok(etag, 'an ETag');
    assert.match(first.headers.get('cache-control') ?? '', /max-age=\d+/);
    const again = await bars('?interval=week&limit=10', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    assert.equal(again.headers.get('etag'), etag);
    const other = await bars('?interval=week&limit=11', { 'If-None-Match': etag });
    assert.equal(other.status, 200);
    assert.notEqual(other.headers.get('etag'), etag);
  });

  it('answers 404 for an unknown symbol and 400 for bad parameters', async () => {
    assertProblem(await bars('', {}, 'NOPE'), 404);
    // A tag forged from a real one, or `*`, names no copy of a symbol that is no item.
    const tag = (await bars('?interval=week&limit=10')).headers.get('etag')!;
    for (const forged of [tag.replace(/-[A-Z.]+-week-/, '-NOPE-week-'), '*'])
      assertProblem(
        await bars('?interval=week&limit=10', { 'If-None-Match': forged }, 'NOPE'),
        404,
      );
    assertProblem(await bars('', {}, 'not%20a%20symbol'), 404);
    assertProblem(await bars('?interval=year'), 400);
    assertProblem(await bars('?from=2018-02-30'), 400);
    assertProblem(await bars('?from=2018-02-07&to=2018-02-01'), 400);
    assertProblem(await bars('?limit=0'), 400);
    assertProblem(await bars('?limit=99999'), 400);
    assertProblem(await bars('?limit=abc'), 400);
  });

  it('needs the read scope', async () => {
    assertProblem(await stack.call(`/v1/items/AAPL/bars`, { key: stack.keys.predict }), 403);
    assertProblem(await stack.call(`/v1/items/AAPL/bars`), 401);
  });

  it("runs bench:http's bars measurement (the code path the bench times, with a few samples)", async () => {
    const m = await measureBars(
      stack.api.url,
      { 'X-API-Key': stack.keys.read },
      { warmup: 1, samples: 3, uncachedSymbols: 2 },
    );
    assert.equal(m.path, BARS_PATH);
    assert.equal(m.points, (await aaplRows()).length);
    assert.equal(m.server.n, 3);
    assert.equal(m.uncached.n, 2);
    assert.ok(m.server.p50 > 0 && m.bytes > 0);
  });
});
