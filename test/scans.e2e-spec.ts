import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { call, createTestKey, startApp, testConfig, testDataSource, waitFor, type RunningApp } from './support/e2e.js';
import { assertProblem, flushRateLimits, removeTestRows } from './support/fixtures.js';

const HIT_FIELDS = ['rank', 'symbol', 'name', 'sector', 'signal', 'techRating', 'subscores', 'indicators', 'plan', 'rationale'];
const INDICATORS = ['close', 'sma20', 'sma50', 'sma200', 'rsi14', 'macdHist', 'atrPct', 'adx14', 'roc20', 'dist52wHigh', 'avgDollarVolume20'];
const SUBSCORES = ['trend', 'momentum', 'volume', 'volatility', 'oscillator', 'breakout'];

/** Scans start from a cold cache: earlier runs and cached entries are removed (test database only). */
async function resetScans(ds: DataSource): Promise<void> {
  await ds.query('DELETE FROM scan_runs');
  const redis = new Redis(testConfig().redisUrl);
  try {
    const keys = await redis.keys('scan:cache:*');
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe('scans', () => {
  let api: RunningApp;
  let worker: RunningApp;
  let ds: DataSource;
  let key: string;
  let otherKey: string;

  before(async () => {
    ds = await testDataSource();
    await resetScans(ds);
    await flushRateLimits();
    key = await createTestKey(ds, 'read,scan', 'e2e-scans');
    otherKey = await createTestKey(ds, 'read,scan', 'e2e-scans-other');
    [api, worker] = await Promise.all([startApp('api'), startApp('worker')]);
  });

  after(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await resetScans(ds);
    await removeTestRows(ds);
    await ds.destroy();
  });

  const scan = (body: unknown, query = '?wait=10', k = key) => call(`${api.url}/v1/scans${query}`, { method: 'POST', key: k, json: body });

  it('completes a default scan within ?wait with 25 hits ranked by rating, every field present', async () => {
    const res = await scan({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    assert.equal(s.status, 'completed');
    assert.equal(s.cached, false);
    for (const field of ['id', 'request', 'progress', 'result', 'createdAt', 'completedAt']) assert.ok(field in s, field);
    assert.equal(s.request.profile, 'balanced');
    assert.equal(s.progress.percent, 100);
    const r = s.result;
    for (const field of ['statusText', 'universeSize', 'symbolsScanned', 'dataVersion', 'asOf', 'results', 'metrics']) assert.ok(field in r, field);
    assert.equal(r.asOf, '2018-02-07');
    assert.equal(r.results.length, 25);
    for (const [i, hit] of r.results.entries()) {
      for (const field of HIT_FIELDS) assert.ok(field in hit, `hit.${field}`);
      for (const field of INDICATORS) assert.equal(typeof hit.indicators[field], 'number', `indicators.${field}`);
      for (const field of SUBSCORES) assert.ok(Math.abs(hit.subscores[field]) <= 1, `subscores.${field}`);
      for (const field of ['entry', 'stop', 'target', 'shares']) assert.equal(typeof hit.plan[field], 'number');
      assert.equal(hit.rank, i + 1);
      if (i > 0) assert.ok(r.results[i - 1].techRating >= hit.techRating, 'sorted by techRating descending');
    }
    for (const field of ['totalMs', 'computeMs', 'symbolsPerSecond']) assert.equal(typeof r.metrics[field], 'number');
  });

  it('answers the same body again from the cache', async () => {
    const first = await scan({});
    const again = await scan({}, '');
    assert.equal(again.status, 200);
    assert.equal(again.body.cached, true);
    assert.equal(again.body.id, first.body.id);
    assert.deepEqual(again.body.result.results, first.body.result.results);
  });

  it('restricts a scan to a sector given by its alias', async () => {
    const res = await scan({ sectors: ['technology'], maxSymbols: 50, minTechRating: 0 });
    assert.equal(res.status, 200);
    assert.ok(res.body.result.results.length > 0);
    for (const hit of res.body.result.results) assert.equal(hit.sector, 'Information Technology');
  });

  it('rejects an unknown sector with 400 listing the valid ones', async () => {
    const res = await scan({ sectors: ['nope'] });
    assertProblem(res, 400);
    assert.match(res.body.detail, /Information Technology/);
    assert.match(res.body.detail, /nope/);
  });

  it('restricts a scan to a watchlist', async () => {
    const res = await scan({ symbols: ['AAPL', 'MSFT', 'XOM'], profile: 'aggressive', minTechRating: 0 });
    assert.equal(res.status, 200);
    const symbols = res.body.result.results.map((h: { symbol: string }) => h.symbol);
    assert.ok(symbols.length > 0);
    for (const symbol of symbols) assert.ok(['AAPL', 'MSFT', 'XOM'].includes(symbol), symbol);
    assert.equal(res.body.result.universeSize, 3);
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

  it('scans point in time: asOf uses each symbol\'s close of that day', async () => {
    const res = await scan({ asOf: '2016-06-30', maxSymbols: 20, minTechRating: 0 });
    assert.equal(res.status, 200);
    assert.equal(res.body.result.asOf, '2016-06-30');
    const hits = res.body.result.results as { symbol: string; indicators: { close: number } }[];
    const rows = (await ds.query(`SELECT symbol, close FROM price_bars WHERE date = '2016-06-30' AND symbol = ANY($1)`, [
      hits.map((h) => h.symbol),
    ])) as { symbol: string; close: number }[];
    const closes = new Map(rows.map((r) => [r.symbol, r.close]));
    for (const hit of hits) assert.equal(hit.indicators.close, closes.get(hit.symbol), hit.symbol);
  });

  it('answers 202 with a Location without ?wait, and the scan completes', async () => {
    const res = await scan({ maxSymbols: 7 }, '');
    if (res.status === 200) return; // finished before the response was built: nothing left to poll
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('location'), `/v1/scans/${res.body.id}`);
    await waitFor(async () => (await call(`${api.url}${res.headers.get('location')}`, { key })).body.status === 'completed', 10_000, 'completion');
  });

  it('lets identical requests in flight share one run', async () => {
    const body = { maxSymbols: 9, minTechRating: 1 };
    const [a, b] = await Promise.all([scan(body, ''), scan(body, '', otherKey)]);
    assert.equal(a.body.id, b.body.id);
  });

  it('shows a scan only to the keys that asked for it', async () => {
    const mine = await scan({ maxSymbols: 11 });
    const stranger = await createTestKey(ds, 'scan', 'e2e-stranger');
    assertProblem(await call(`${api.url}/v1/scans/${mine.body.id}`, { key: stranger }), 404);
    assert.equal((await call(`${api.url}/v1/scans/${mine.body.id}`, { key })).status, 200);
    assertProblem(await call(`${api.url}/v1/scans/not-a-uuid`, { key }), 404);
  });

  it('answers a repeat from the stored result after the cache expired', async () => {
    const first = await scan({ maxSymbols: 13 });
    const redis = new Redis(testConfig().redisUrl);
    await redis.del(...(await redis.keys('scan:cache:*')));
    redis.disconnect();
    const again = await scan({ maxSymbols: 13 }, '');
    assert.equal(again.status, 200);
    assert.equal(again.body.cached, true);
    assert.equal(again.body.id, first.body.id);
    const [{ n }] = (await ds.query('SELECT count(*)::int AS n FROM scan_results WHERE scan_run_id = $1', [first.body.id])) as { n: number }[];
    assert.equal(n, 13, 'exactly one set of results');
  });

  it('requires the scan scope', async () => {
    const readOnly = await createTestKey(ds, 'read', 'e2e-readonly');
    assertProblem(await scan({}, '', readOnly), 403);
  });
});
