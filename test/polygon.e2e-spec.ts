import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PolygonClient,
  PolygonMalformedResponseError,
  refreshBars,
  type RefreshReport,
} from '#market-data';
import {
  API_KEY,
  count,
  EMBEDDED_LAST_DAY,
  NOW,
  restoreEmbeddedState,
  usePolygon,
} from './support/polygon.js';

/**
 * The Polygon refresher against a local fake Polygon (grouped daily, in the documented format;
 * support/polygon.ts) and the real test database. That database is shared with specs that expect exactly the embedded data
 * (505 items, 619,031 bars up to 2018-02-07, one data version), so everything added here — bars
 * after 2018-02-07, items' bar dates, polygon data versions — is removed again in `after`, and any
 * leftover of an interrupted earlier run is removed in `before`. The worker's processor and its
 * schedule: polygon-worker.e2e-spec.ts.
 */

describe('live data from Polygon (fake server, real database)', () => {
  const fixture = usePolygon();
  const retries: string[] = [];
  const client = () =>
    new PolygonClient({
      apiKey: API_KEY,
      baseUrl: fixture.polygon.url,
      // Short backoff keeps the spec quick; Retry-After is still honoured as sent.
      retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
      onRetry: (r) => retries.push(`${r.date} ${r.reason}`),
    });

  it('starts from the embedded data', async () => {
    assert.equal(await fixture.barsAfterEmbedded(), 0);
    const [row] = await fixture.ds.query<{ last: string }[]>(
      `SELECT max(last_bar_date)::text AS last FROM items`,
    );
    assert.equal(row!.last, EMBEDDED_LAST_DAY);
  });

  it('fails clearly on a malformed body, without retrying it, and writes nothing', async () => {
    const versions = await fixture.versions();
    fixture.polygon.script('2018-02-08', {
      status: 200,
      body: '{"status":"OK","resultsCount":2,"results":[{"T":"AAPL","o":160.29',
    });
    const callsBefore = fixture.polygon.calls.length;
    await assert.rejects(
      refreshBars(fixture.ds, { source: client(), now: NOW }),
      (error: unknown) => {
        assert.ok(error instanceof PolygonMalformedResponseError, String(error));
        assert.match(
          error.message,
          /Polygon grouped daily for 2018-02-08: malformed response body: not JSON/,
        );
        return true;
      },
    );
    assert.deepEqual(
      fixture.polygon.calls.slice(callsBefore),
      ['2018-02-07', '2018-02-08'],
      'the malformed day was asked for once',
    );
    assert.equal(await fixture.barsAfterEmbedded(), 0);
    assert.equal(await fixture.versions(), versions);
  });

  let first: RefreshReport;

  it('retries a 429 (Retry-After) and a 500, then upserts the bars and bumps the data version once', async () => {
    const versions = await fixture.versions();
    retries.length = 0;
    fixture.polygon.script('2018-02-08', {
      status: 429,
      body: '{"status":"ERROR","error":"too many requests"}',
      headers: { 'Retry-After': '0' },
    });
    fixture.polygon.script('2018-02-08', {
      status: 500,
      body: '{"status":"ERROR","error":"internal"}',
    });
    fixture.polygon.script('2018-02-09', {
      status: 429,
      body: '{"status":"ERROR"}',
      headers: { 'Retry-After': '1' },
    });
    const callsBefore = fixture.polygon.calls.length;

    first = await refreshBars(fixture.ds, { source: client(), now: NOW });

    assert.deepEqual(retries, [
      '2018-02-08 HTTP 429',
      '2018-02-08 HTTP 500',
      '2018-02-09 HTTP 429',
    ]);
    assert.deepEqual(fixture.polygon.calls.slice(callsBefore), [
      '2018-02-07',
      '2018-02-08',
      '2018-02-08',
      '2018-02-08',
      '2018-02-09',
      '2018-02-09',
      '2018-02-12',
    ]);
    assert.equal(first.status, 'updated');
    assert.deepEqual(first.requestedDays, ['2018-02-07', '2018-02-08', '2018-02-09', '2018-02-12']);
    assert.deepEqual(first.daysWithData, ['2018-02-08', '2018-02-09']);
    assert.equal(first.barsMatched, 5);
    assert.equal(first.barsIgnored, 2, 'XYZQ is not an item');
    assert.equal(first.barsWritten, 5);
    assert.equal(first.repaired.length, 1);
    assert.equal(first.repaired[0]!.symbol, 'GOOGL');

    const aapl = await fixture.ds.query(
      `SELECT date::text, open, high, low, close, volume::text FROM price_bars WHERE symbol = 'AAPL' AND date > $1 ORDER BY date`,
      [EMBEDDED_LAST_DAY],
    );
    assert.deepEqual(aapl, [
      {
        date: '2018-02-08',
        open: 160.29,
        high: 161,
        low: 155.03,
        close: 155.15,
        volume: '54390516',
      },
      {
        date: '2018-02-09',
        open: 157.07,
        high: 157.89,
        low: 150.24,
        close: 156.41,
        volume: '70672608',
      },
    ]);
    const [googl] = await fixture.ds.query(
      `SELECT high, close FROM price_bars WHERE symbol = 'GOOGL' AND date = '2018-02-09'`,
    );
    assert.deepEqual(
      googl,
      { high: 1052, close: 1052 },
      'the high was widened to include the close',
    );
    assert.equal(
      await count(fixture.ds, `SELECT count(*) AS n FROM items WHERE symbol = 'XYZQ'`),
      0,
    );

    const lastDates = await fixture.ds.query(
      `SELECT symbol, last_bar_date::text AS last FROM items WHERE symbol IN ('AAPL', 'MSFT', 'GOOGL', 'IBM') ORDER BY symbol`,
    );
    assert.deepEqual(lastDates, [
      { symbol: 'AAPL', last: '2018-02-09' },
      { symbol: 'GOOGL', last: '2018-02-09' },
      { symbol: 'IBM', last: EMBEDDED_LAST_DAY },
      { symbol: 'MSFT', last: '2018-02-09' },
    ]);

    assert.equal(await fixture.versions(), versions + 1);
    const [version] = await fixture.ds.query(
      `SELECT id, source, symbols, bars FROM data_versions ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(version, { id: first.dataVersion, source: 'polygon', symbols: 3, bars: 5 });
  });

  it('changes nothing on a second run: no rows written, no new data version', async () => {
    const versions = await fixture.versions();
    const second = await refreshBars(fixture.ds, { source: client(), now: NOW });
    assert.equal(second.status, 'unchanged');
    assert.deepEqual(
      second.requestedDays,
      ['2018-02-09', '2018-02-12'],
      'only the recent last day is asked for again',
    );
    assert.equal(second.barsWritten, 0);
    assert.equal(second.dataVersion, first.dataVersion);
    assert.equal(await fixture.versions(), versions);
    assert.equal(await fixture.barsAfterEmbedded(), 5);
  });

  it('leaves the embedded data as it found it (checked again in after)', async () => {
    await restoreEmbeddedState(fixture.ds);
    assert.equal(await fixture.barsAfterEmbedded(), 0);
    assert.equal(
      await count(
        fixture.ds,
        `SELECT count(*) AS n FROM price_bars WHERE symbol IN ('AAPL', 'MSFT', 'GOOGL')`,
      ),
      3 * 1259,
    );
    assert.equal(
      await count(fixture.ds, `SELECT count(*) AS n FROM items WHERE last_bar_date > $1`, [
        EMBEDDED_LAST_DAY,
      ]),
      0,
    );
    assert.equal(
      await count(fixture.ds, `SELECT count(*) AS n FROM data_versions WHERE source = 'polygon'`),
      0,
    );
  });
});
