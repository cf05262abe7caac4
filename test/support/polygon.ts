import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before } from 'node:test';
import type { DataSource } from 'typeorm';
import { useStack } from './stack.js';

/**
 * A local fake Polygon (grouped daily, in the documented format) and the means to put the shared
 * test database back to the embedded data, for test/polygon*.e2e-spec.ts.
 */

export const EMBEDDED_LAST_DAY = '2018-02-07';
export const API_KEY = 'e2e-polygon-key';
/** Monday 2018-02-12, 17:00 in New York: the days to fetch are 02-07 (recent, fetched again), 02-08, 02-09 and 02-12. */
export const NOW = new Date('2018-02-12T22:00:00Z');

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

export type Reply = { status: number; body: string; headers?: Record<string, string> };

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

export interface FakePolygon {
  url: string;
  /** Dates requested, in order, one entry per HTTP request. */
  calls: string[];
  /** Replies to give for a date before the normal answer, first in first out. */
  script: (day: string, ...replies: Reply[]) => void;
  close: () => Promise<void>;
}

export async function startFakePolygon(): Promise<FakePolygon> {
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
export async function restoreEmbeddedState(ds: DataSource): Promise<void> {
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

export const count = async (ds: DataSource, sql: string, params: unknown[] = []) =>
  Number(((await ds.query(sql, params)) as { n: string }[])[0]!.n);

/** What a Polygon spec works with; the fields are set once the describe block's `before` has run. */
export interface PolygonFixture {
  ds: DataSource;
  polygon: FakePolygon;
  /** How many data versions the database holds. */
  versions(): Promise<number>;
  /** How many bars lie after the embedded data's last day (0 while the embedded data is intact). */
  barsAfterEmbedded(): Promise<number>;
}

/**
 * For a describe block: the stack (no apps), the fake Polygon, and the embedded data restored
 * before and after (a leftover of an interrupted earlier run is removed in `before`).
 */
export function usePolygon(): PolygonFixture {
  const stack = useStack();
  const fixture = {
    versions: () => count(fixture.ds, `SELECT count(*) AS n FROM data_versions`),
    barsAfterEmbedded: () =>
      count(fixture.ds, `SELECT count(*) AS n FROM price_bars WHERE date > $1`, [
        EMBEDDED_LAST_DAY,
      ]),
  } as PolygonFixture;
  before(async () => {
    fixture.ds = stack.ds;
    await restoreEmbeddedState(fixture.ds);
    fixture.polygon = await startFakePolygon();
  });
  stack.onTeardown(async () => {
    await fixture.polygon?.close();
    if (fixture.ds) await restoreEmbeddedState(fixture.ds);
  });
  return fixture;
}
