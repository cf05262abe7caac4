import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scan, ScanHit } from './support/api-types.js';
import { waitFor } from './support/e2e.js';
import { flushScanCache } from './support/fixtures.js';
import { assertProblem, type CallInit } from './support/http.js';
import { useStack } from './support/stack.js';

const HIT_FIELDS = [
  'rank',
  'symbol',
  'name',
  'sector',
  'signal',
  'techRating',
  'subscores',
  'indicators',
  'plan',
  'rationale',
];
const INDICATORS = [
  'close',
  'sma20',
  'sma50',
  'sma200',
  'rsi14',
  'macdHist',
  'atrPct',
  'adx14',
  'roc20',
  'dist52wHigh',
  'avgDollarVolume20',
] as const;
const SUBSCORES = ['trend', 'momentum', 'volume', 'volatility', 'oscillator', 'breakout'] as const;

describe('scans', () => {
  // Scans start from a cold cache and no stored runs: earlier runs' results are removed.
  const stack = useStack({
    api: true,
    worker: true,
    scans: true,
    keys: { key: 'read,scan', other: 'read,scan' },
  });
  const { keys } = stack;

  /** POST /v1/scans; by default waiting until it completes (30 s at most: a cold worker on a loaded machine). */
  const scan = (body: unknown, query = '?wait=30', k = keys.key) =>
    stack.call<Scan>(`/v1/scans${query}`, { method: 'POST', key: k, json: body });
  const get = (path: string, init: CallInit = { key: keys.key }) => stack.call<Scan>(path, init);

  it('completes a default scan within ?wait with 25 hits ranked by rating, every field present', async () => {
    const res = await scan({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    const r = s.result!;
    assert.equal(s.status, 'completed');
    assert.equal(s.cached, false);
    for (const field of ['id', 'request', 'progress', 'result', 'createdAt', 'completedAt'])
      assert.ok(field in s, field);
    assert.equal(s.request.profile, 'balanced');
    assert.equal(s.progress.percent, 100);
    for (const field of [
      'statusText',
      'universeSize',
      'symbolsScanned',
      'dataVersion',
      'asOf',
      'results',
      'metrics',
    ])
      assert.ok(field in r, field);
    assert.equal(r.asOf, '2018-02-07');
    assert.equal(r.results.length, 25);
    for (const [i, hit] of r.results.entries()) {
      for (const field of HIT_FIELDS) assert.ok(field in hit, `hit.${field}`);
      for (const field of INDICATORS)
        assert.equal(typeof hit.indicators[field], 'number', `indicators.${field}`);
      for (const field of SUBSCORES)
        assert.ok(Math.abs(hit.subscores[field]!) <= 1, `subscores.${field}`);
      for (const field of ['entry', 'stop', 'target', 'shares'] as const)
        assert.equal(typeof hit.plan?.[field], 'number');
      assert.equal(hit.rank, i + 1);
      if (i > 0)
        assert.ok(
          r.results[i - 1]!.techRating >= hit.techRating,
          'sorted by techRating descending',
        );
    }
    for (const field of ['totalMs', 'computeMs', 'symbolsPerSecond'] as const)
      assert.equal(typeof r.metrics[field], 'number');
  });

  it('answers the same body again from the cache', async () => {
    const first = await scan({});
    const again = await scan({}, '');
    assert.equal(again.status, 200);
    assert.equal(again.body.cached, true);
    assert.equal(again.body.id, first.body.id);
    assert.deepEqual(again.body.result!.results, first.body.result!.results);
  });

  it('restricts a scan to a sector given by its alias', async () => {
    const res = await scan({ sectors: ['technology'], maxSymbols: 50, minTechRating: 0 });
    assert.equal(res.status, 200);
    assert.ok(res.body.result!.results.length > 0);
    for (const hit of res.body.result!.results) assert.equal(hit.sector, 'Information Technology');
  });

  it('rejects an unknown sector with 400 listing the valid ones', async () => {
    const res = await scan({ sectors: ['nope'] });
    assertProblem(res, 400);
    assert.match(res.body.detail, /Information Technology/);
    assert.match(res.body.detail, /nope/);
  });

  it('restricts a scan to a watchlist', async () => {
    const res = await scan({
      symbols: ['AAPL', 'MSFT', 'XOM'],
      profile: 'aggressive',
      minTechRating: 0,
    });
    assert.equal(res.status, 200);
    const symbols = res.body.result!.results.map((h) => h.symbol);
    assert.ok(symbols.length > 0);
    for (const symbol of symbols) assert.ok(['AAPL', 'MSFT', 'XOM'].includes(symbol), symbol);
    assert.equal(res.body.result!.universeSize, 3);
  });

  it('names unknown symbols in a 400', async () => {
    const res = await scan({ symbols: ['AAPL', 'NOPE1'] });
    assertProblem(res, 400);
    assert.match(res.body.detail, /NOPE1/);
  });

  it('rejects unknown fields and out-of-range values', async () => {
    assertProblem(await scan({ bogus: 1 }), 400);
    assertProblem(await scan({ maxSymbols: 501 }), 400);
    assertProblem(await scan({ asOf: '2016-02-30' }), 400);
    assertProblem(await scan({ profile: 'yolo' }), 400);
    assertProblem(await scan({}, '?wait=31'), 400);
  });

  it("scans point in time: asOf uses each symbol's close of that day", async () => {
    const res = await scan({ asOf: '2016-06-30', maxSymbols: 20, minTechRating: 0 });
    assert.equal(res.status, 200);
    assert.equal(res.body.result!.asOf, '2016-06-30');
    const hits: ScanHit[] = res.body.result!.results;
    const rows = (await stack.ds.query(
      `SELECT symbol, close FROM price_bars WHERE date = '2016-06-30' AND symbol = ANY($1)`,
      [hits.map((h) => h.symbol)],
    )) as { symbol: string; close: number }[];
    const closes = new Map(rows.map((r) => [r.symbol, r.close]));
    for (const hit of hits) assert.equal(hit.indicators.close, closes.get(hit.symbol), hit.symbol);
  });

  it('answers 202 with a Location without ?wait, and the scan completes', async () => {
    const res = await scan({ maxSymbols: 7 }, '');
    // A new run (nothing cached or stored for this body) is answered before it can have finished.
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.headers.get('location'), `/v1/scans/${res.body.id}`);
    await waitFor(
      async () => (await get(res.headers.get('location')!)).body.status === 'completed',
      30_000,
      'completion',
    );
  });

  it('lets identical requests in flight share one run', async () => {
    const body = { maxSymbols: 9, minTechRating: 1 };
    const [a, b] = await Promise.all([scan(body, ''), scan(body, '', keys.other)]);
    assert.equal(a.body.id, b.body.id);
  });

  it('shows a scan only to the keys that asked for it', async () => {
    const mine = await scan({ maxSymbols: 11 });
    const stranger = await stack.createKey('scan', 'stranger');
    assertProblem(await get(`/v1/scans/${mine.body.id}`, { key: stranger }), 404);
    assert.equal((await get(`/v1/scans/${mine.body.id}`)).status, 200);
    assertProblem(await get('/v1/scans/not-a-uuid'), 404);
  });

  it('answers a repeat from the stored result after the cache expired', async () => {
    const first = await scan({ maxSymbols: 13 });
    await flushScanCache();
    const again = await scan({ maxSymbols: 13 }, '');
    assert.equal(again.status, 200);
    assert.equal(again.body.cached, true);
    assert.equal(again.body.id, first.body.id);
    const [{ n }] = (await stack.ds.query(
      'SELECT count(*)::int AS n FROM scan_results WHERE scan_run_id = $1',
      [first.body.id],
    )) as { n: number }[];
    assert.equal(n, 13, 'exactly one set of results');
  });

  it('requires the scan scope', async () => {
    const readOnly = await stack.createKey('read', 'readonly');
    assertProblem(await scan({}, '', readOnly), 403);
  });
});
