import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '#config';
import { bullConnection, JOBS, JobsModule, QUEUES, REFRESH_SCHEDULER_ID } from '#jobs';
import {
  PolygonClient,
  PolygonMalformedResponseError,
  refreshBars,
  type RefreshReport,
} from '#market-data';
import { MarketDataModule } from '../apps/worker/market-data/market-data.module.js';
import type { RefreshJobResult } from '../apps/worker/market-data/market-data.processor.js';
import { testConfig, waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';

/**
 * The Polygon refresher against a local fake Polygon (grouped daily, in the documented format) and
 * the real test database. That database is shared with specs that expect exactly the embedded data
 * (505 items, 619,031 bars up to 2018-02-07, one data version), so everything added here — bars
 * after 2018-02-07, items' bar dates, polygon data versions — is removed again in `after`, and any
 * leftover of an interrupted earlier run is removed in `before`.
 */

const EMBEDDED_LAST_DAY = '2018-02-07';
const API_KEY = 'e2e-polygon-key';
/** Monday 2018-02-12, 17:00 in New York: the days to fetch are 02-07 (recent, fetched again), 02-08, 02-09 and 02-12. */
const NOW = new Date('2018-02-12T22:00:00Z');

type Row = {
  T: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  vw: number;
  n: number;
};

/** AAPL and MSFT as traded on those days; XYZQ is not in items (ignored); GOOGL's close is above its high (repaired). */
const DAYS: Record<string, Row[]> = {
  '2018-02-08': [
    { T: 'AAPL', o: 160.29, h: 161.0, l: 155.03, c: 155.15, v: 54390516, vw: 157.79, n: 401233 },
    { T: 'MSFT', o: 89.71, h: 89.88, l: 84.76, c: 85.01, v: 55628700, vw: 87.02, n: 350871 },
    { T: 'XYZQ', o: 1.1, h: 1.2, l: 1.0, c: 1.15, v: 1200, vw: 1.1, n: 12 },
  ],
  '2018-02-09': [
    { T: 'AAPL', o: 157.07, h: 157.89, l: 150.24, c: 156.41, v: 70672608, vw: 154.3, n: 522417 },
    { T: 'MSFT', o: 86.3, h: 88.93, l: 83.83, c: 88.18, v: 63499065, vw: 86.41, n: 398120 },
    { T: 'GOOGL', o: 1050.0, h: 1051.2, l: 1000.0, c: 1052.0, v: 4043513, vw: 1031.5, n: 120345 },
    { T: 'XYZQ', o: 1.15, h: 1.3, l: 1.1, c: 1.25, v: 900, vw: 1.2, n: 9 },
  ],
};

/** 16:00 New York time (21:00 UTC in February) as ms epoch: the `t` Polygon gives a daily bar. */
const closeEpoch = (day: string) => Date.parse(`${day}T21:00:00Z`);

type Reply = { status: number; body: string; headers?: Record<string, string> };

/** A grouped-daily body as Polygon documents it; days without trading have no `results`. */
function groupedDaily(day: string): Reply {
  const rows = DAYS[day] ?? [];
  const body =
    rows.length === 0
      ? { status: 'OK', queryCount: 0, resultsCount: 0, adjusted: true, request_id: `req-${day}` }
      : {
          status: 'OK',
          queryCount: rows.length,
          resultsCount: rows.length,
          adjusted: true,
          request_id: `req-${day}`,
          results: rows.map((r) => ({ ...r, t: closeEpoch(day) })),
        };
  return { status: 200, body: JSON.stringify(body) };
}

interface FakePolygon {
  url: string;
  /** Dates requested, in order, one entry per HTTP request. */
  calls: string[];
  /** Replies to give for a date before the normal answer, first in first out. */
  script: (day: string, ...replies: Reply[]) => void;
  close: () => Promise<void>;
}

async function startFakePolygon(): Promise<FakePolygon> {
  const calls: string[] = [];
  const scripted = new Map<string, Reply[]>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/v2\/aggs\/grouped\/locale\/us\/market\/stocks\/(\d{4}-\d{2}-\d{2})$/.exec(
      url.pathname,
    );
    let reply: Reply;
    if (!match)
      reply = {
        status: 404,
        body: JSON.stringify({ status: 'NOT_FOUND', message: 'route not found' }),
      };
    else if (url.searchParams.get('apiKey') !== API_KEY) {
      reply = {
        status: 401,
        body: JSON.stringify({ status: 'ERROR', request_id: 'x', error: 'Unknown API Key' }),
      };
    } else {
      const day = match[1]!;
      calls.push(day);
      reply = scripted.get(day)?.shift() ?? groupedDaily(day);
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    res.end(reply.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script: (day, ...replies) => scripted.set(day, [...(scripted.get(day) ?? []), ...replies]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Puts the shared test database back to the embedded data: no later bars, original bar dates, no polygon versions. */
async function restoreEmbeddedState(ds: DataSource): Promise<void> {
  await ds.transaction(async (tx) => {
    await tx.query(`DELETE FROM price_bars WHERE date > $1`, [EMBEDDED_LAST_DAY]);
    await tx.query(
      `UPDATE items i SET first_bar_date = r.first, last_bar_date = r.last
       FROM (SELECT symbol, min(date) AS first, max(date) AS last FROM price_bars
             WHERE symbol IN (SELECT symbol FROM items WHERE last_bar_date > $1) GROUP BY symbol) r
       WHERE r.symbol = i.symbol`,
      [EMBEDDED_LAST_DAY],
    );
    await tx.query(`DELETE FROM data_versions WHERE source = 'polygon'`);
    // Version numbers continue from the embedded import's, as if this spec never ran.
    await tx.query(
      `SELECT setval(pg_get_serial_sequence('data_versions', 'id'), (SELECT coalesce(max(id), 1) FROM data_versions))`,
    );
  });
}

const count = async (ds: DataSource, sql: string, params: unknown[] = []) =>
  Number(((await ds.query(sql, params)) as { n: string }[])[0]!.n);

describe('live data from Polygon (fake server, real database)', () => {
  const stack = useStack();
  let ds: DataSource;
  let polygon: FakePolygon;
  const retries: string[] = [];
  const client = () =>
    new PolygonClient({
      apiKey: API_KEY,
      baseUrl: polygon.url,
      // Short backoff keeps the spec quick; Retry-After is still honoured as sent.
      retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
      onRetry: (r) => retries.push(`${r.date} ${r.reason}`),
    });
  const versionsBefore = async () => count(ds, `SELECT count(*) AS n FROM data_versions`);

  before(async () => {
    ds = stack.ds;
    await restoreEmbeddedState(ds);
    polygon = await startFakePolygon();
  });

  stack.onTeardown(async () => {
    await polygon?.close();
    if (ds) await restoreEmbeddedState(ds);
  });

  it('starts from the embedded data', async () => {
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [EMBEDDED_LAST_DAY]),
      0,
    );
    const [row] = await ds.query<{ last: string }[]>(
      `SELECT max(last_bar_date)::text AS last FROM items`,
    );
    assert.equal(row!.last, EMBEDDED_LAST_DAY);
  });

  it('fails clearly on a malformed body, without retrying it, and writes nothing', async () => {
    const versions = await versionsBefore();
    polygon.script('2018-02-08', {
      status: 200,
      body: '{"status":"OK","resultsCount":2,"results":[{"T":"AAPL","o":160.29',
    });
    const callsBefore = polygon.calls.length;
    await assert.rejects(refreshBars(ds, { source: client(), now: NOW }), (error: unknown) => {
      assert.ok(error instanceof PolygonMalformedResponseError, String(error));
      assert.match(
        error.message,
        /Polygon grouped daily for 2018-02-08: malformed response body: not JSON/,
      );
      return true;
    });
    assert.deepEqual(
      polygon.calls.slice(callsBefore),
      ['2018-02-07', '2018-02-08'],
      'the malformed day was asked for once',
    );
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [EMBEDDED_LAST_DAY]),
      0,
    );
    assert.equal(await versionsBefore(), versions);
  });

  let first: RefreshReport;

  it('retries a 429 (Retry-After) and a 500, then upserts the bars and bumps the data version once', async () => {
    const versions = await versionsBefore();
    retries.length = 0;
    polygon.script('2018-02-08', {
      status: 429,
      body: '{"status":"ERROR","error":"too many requests"}',
      headers: { 'Retry-After': '0' },
    });
    polygon.script('2018-02-08', { status: 500, body: '{"status":"ERROR","error":"internal"}' });
    polygon.script('2018-02-09', {
      status: 429,
      body: '{"status":"ERROR"}',
      headers: { 'Retry-After': '1' },
    });
    const callsBefore = polygon.calls.length;

    first = await refreshBars(ds, { source: client(), now: NOW });

    assert.deepEqual(retries, [
      '2018-02-08 HTTP 429',
      '2018-02-08 HTTP 500',
      '2018-02-09 HTTP 429',
    ]);
    assert.deepEqual(polygon.calls.slice(callsBefore), [
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

    const aapl = await ds.query(
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
    const [googl] = await ds.query(
      `SELECT high, close FROM price_bars WHERE symbol = 'GOOGL' AND date = '2018-02-09'`,
    );
    assert.deepEqual(
      googl,
      { high: 1052, close: 1052 },
      'the high was widened to include the close',
    );
    assert.equal(await count(ds, `SELECT count(*) AS n FROM items WHERE symbol = 'XYZQ'`), 0);

    const lastDates = await ds.query(
      `SELECT symbol, last_bar_date::text AS last FROM items WHERE symbol IN ('AAPL', 'MSFT', 'GOOGL', 'IBM') ORDER BY symbol`,
    );
    assert.deepEqual(lastDates, [
      { symbol: 'AAPL', last: '2018-02-09' },
      { symbol: 'GOOGL', last: '2018-02-09' },
      { symbol: 'IBM', last: EMBEDDED_LAST_DAY },
      { symbol: 'MSFT', last: '2018-02-09' },
    ]);

    assert.equal(await versionsBefore(), versions + 1);
    const [version] = await ds.query(
      `SELECT id, source, symbols, bars FROM data_versions ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(version, { id: first.dataVersion, source: 'polygon', symbols: 3, bars: 5 });
  });

  it('changes nothing on a second run: no rows written, no new data version', async () => {
    const versions = await versionsBefore();
    const second = await refreshBars(ds, { source: client(), now: NOW });
    assert.equal(second.status, 'unchanged');
    assert.deepEqual(
      second.requestedDays,
      ['2018-02-09', '2018-02-12'],
      'only the recent last day is asked for again',
    );
    assert.equal(second.barsWritten, 0);
    assert.equal(second.dataVersion, first.dataVersion);
    assert.equal(await versionsBefore(), versions);
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [EMBEDDED_LAST_DAY]),
      5,
    );
  });

  describe('through the worker’s market-data processor and BullMQ', () => {
    let worker: INestApplicationContext;
    let queue: Queue;
    let events: QueueEvents;

    before(async () => {
      await restoreEmbeddedState(ds);
      const base = testConfig();
      const connection = bullConnection(base.redisUrl, 'consumer');
      queue = new Queue(QUEUES.marketData, { connection });
      events = new QueueEvents(QUEUES.marketData, { connection });
      await queue.obliterate({ force: true });
      await events.waitUntilReady();
      // The worker's market-data module as the worker app wires it, on this spec's config and data source.
      @Global()
      @Module({
        providers: [
          {
            provide: APP_CONFIG,
            useValue: { ...base, polygon: { apiKey: API_KEY, baseUrl: polygon.url } },
          },
          { provide: DataSource, useValue: ds },
        ],
        exports: [APP_CONFIG, DataSource],
      })
      class SpecContext {}
      @Module({ imports: [SpecContext, JobsModule.forRoot('consumer'), MarketDataModule] })
      class SpecWorker {}
      worker = await NestFactory.createApplicationContext(SpecWorker, { logger: false });
    });

    after(async () => {
      await worker?.close();
      await queue?.removeJobScheduler(REFRESH_SCHEDULER_ID);
      await queue?.obliterate({ force: true });
      await events?.close();
      await queue?.close();
    });

    it('keeps the after-close schedule in Redis: 16:30 New York time on weekdays', async () => {
      await waitFor(
        async () => (await queue.getJobScheduler(REFRESH_SCHEDULER_ID)) !== undefined,
        5000,
        'the job scheduler',
      );
      const scheduler = await queue.getJobScheduler(REFRESH_SCHEDULER_ID);
      assert.equal(scheduler?.pattern, '30 16 * * 1-5');
      assert.equal(scheduler?.tz, 'America/New_York');
      assert.equal(scheduler?.name, JOBS.refreshBars);
    });

    it('runs a refresh-bars job with the same refresher: bars upserted, one new data version', async () => {
      const versions = await versionsBefore();
      const job = await queue.add(JOBS.refreshBars, {
        v: 1,
        requestId: 'e2e-polygon',
        until: '2018-02-09',
      });
      const result = (await job.waitUntilFinished(events, 20_000)) as RefreshJobResult;
      assert.equal(result.status, 'updated');
      assert.equal(result.requestedDays, 2);
      assert.equal(result.barsWritten, 5);
      assert.equal(await versionsBefore(), versions + 1);
      assert.equal(
        await count(ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [
          EMBEDDED_LAST_DAY,
        ]),
        5,
      );
    });

    it('fails a malformed day without job retries (UnrecoverableError)', async () => {
      polygon.script('2018-02-12', { status: 200, body: '[]' });
      const job = await queue.add(
        JOBS.refreshBars,
        { v: 1, requestId: 'e2e-polygon-bad', until: '2018-02-12' },
        { attempts: 3 },
      );
      await assert.rejects(
        job.waitUntilFinished(events, 20_000),
        /malformed response body: not a JSON object/,
      );
      const failed = await queue.getJob(job.id!);
      assert.equal(failed?.attemptsMade, 1);
    });
  });

  it('leaves the embedded data as it found it (checked again in after)', async () => {
    await restoreEmbeddedState(ds);
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [EMBEDDED_LAST_DAY]),
      0,
    );
    assert.equal(
      await count(
        ds,
        `SELECT count(*) AS n FROM price_bars WHERE symbol IN ('AAPL', 'MSFT', 'GOOGL')`,
      ),
      3 * 1259,
    );
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM items WHERE last_bar_date > $1`, [
        EMBEDDED_LAST_DAY,
      ]),
      0,
    );
    assert.equal(
      await count(ds, `SELECT count(*) AS n FROM data_versions WHERE source = 'polygon'`),
      0,
    );
  });
});
