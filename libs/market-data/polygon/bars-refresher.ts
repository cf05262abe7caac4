import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { cleanSymbolBars, type BarIssue, type CleanBar, type RawBar } from '../bar-cleaner.js';
import { SYNTHETIC_SECTOR } from '../sectors.js';
import type { GroupedDailySource, PolygonDailyBar } from './polygon.client.js';
import { daysToFetch, exchangeClock } from './market-days.js';

export interface RefreshOptions {
  source: GroupedDailySource;
  /** The clock; injected by tests. Default: now. */
  now?: Date;
  /** Fetch no day after this one (`YYYY-MM-DD`); default: today once the session's data is ready, else yesterday. */
  until?: string;
  /** At most this many requests per run, so a long gap is closed over several runs instead of hammering the API. */
  maxDays?: number;
}

export interface RefreshReport {
  status: 'updated' | 'unchanged';
  /** Newest bar date before the run (real instruments only); null on an empty database. */
  lastBarDateBefore: string | null;
  /** Days requested, oldest first (weekdays only). */
  requestedDays: string[];
  /** Requested days that returned bars (the others were holidays or not yet published). */
  daysWithData: string[];
  /** Weekdays still missing after this run because of `maxDays`; the next run continues. */
  backlogDays: number;
  /** Bars received for symbols we track (others are ignored). */
  barsMatched: number;
  /** Bars in the responses for symbols not in `items`. */
  barsIgnored: number;
  /** Rows inserted or changed in price_bars (0 on a repeat). */
  barsWritten: number;
  repaired: BarIssue[];
  skipped: BarIssue[];
  /** The current data version after the run (new only when status is `updated`). */
  dataVersion: number;
  elapsedMs: number;
}

/** Requests per run unless told otherwise: about six weeks of trading days. */
export const DEFAULT_MAX_DAYS = 30;

/** Serializes writers of live bars across worker processes (any constant shared by them would do). */
const REFRESH_LOCK_KEY = 'market-data:polygon-refresh';

/**
 * Fetches the trading days missing since the newest stored bar from a grouped-daily source and
 * upserts the bars of the symbols in `items` (everything else in the response is ignored), then
 * moves `items.last_bar_date` and records a `polygon` data version — which retires cached scans —
 * only when a row actually changed. Running it twice changes nothing the second time.
 *
 * All days are fetched before anything is written, and the write is one transaction: a failing day
 * (after the client's retries) leaves the database as it was, and the next run starts over.
 */
export async function refreshBars(
  dataSource: DataSource,
  options: RefreshOptions,
): Promise<RefreshReport> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const maxDays = options.maxDays ?? DEFAULT_MAX_DAYS;
  const versions = new DataVersions(dataSource);

  const lastBarDateBefore = await lastRealBarDate(dataSource);
  const plan = daysToFetch({
    lastBarDate: lastBarDateBefore,
    clock: exchangeClock(now),
    until: options.until,
    maxDays,
  });

  const known = new Set(
    (
      (await dataSource.query(`SELECT symbol FROM items WHERE sector <> $1`, [
        SYNTHETIC_SECTOR,
      ])) as { symbol: string }[]
    ).map((r) => r.symbol),
  );
  const bySymbol = new Map<string, RawBar[]>();
  const daysWithData: string[] = [];
  let barsMatched = 0;
  let barsIgnored = 0;
  for (const day of plan.days) {
    const bars: PolygonDailyBar[] = await options.source.groupedDaily(day);
    if (bars.length > 0) daysWithData.push(day);
    for (const bar of bars) {
      if (!known.has(bar.symbol)) {
        barsIgnored++;
        continue;
      }
      barsMatched++;
      const list = bySymbol.get(bar.symbol) ?? [];
      list.push(bar);
      bySymbol.set(bar.symbol, list);
    }
  }

  const kept: CleanBar[] = [];
  const repaired: BarIssue[] = [];
  const skipped: BarIssue[] = [];
  for (const rows of bySymbol.values()) {
    rows.sort((a, b) => a.date.localeCompare(b.date));
    const cleaned = cleanSymbolBars(rows);
    kept.push(...cleaned.bars);
    repaired.push(...cleaned.repaired);
    skipped.push(...cleaned.skipped);
  }

  // What the run did, for the caller and for the data version's stored report.
  const outcome = (barsWritten: number) => ({
    requestedDays: plan.days,
    daysWithData,
    backlogDays: plan.backlog,
    barsMatched,
    barsIgnored,
    barsWritten,
    repaired,
    skipped,
  });
  const report = (barsWritten: number, dataVersion: number): RefreshReport => ({
    status: barsWritten > 0 ? 'updated' : 'unchanged',
    lastBarDateBefore,
    ...outcome(barsWritten),
    dataVersion,
    elapsedMs: performance.now() - started,
  });
  if (kept.length === 0) return report(0, await versions.current());

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [REFRESH_LOCK_KEY]);
    const barsWritten = await upsertBars(runner.query.bind(runner), kept);
    let dataVersion = await versions.current(runner.manager);
    if (barsWritten > 0) {
      const symbols = [...new Set(kept.map((b) => b.symbol))];
      await runner.query(
        `UPDATE items i SET first_bar_date = r.first, last_bar_date = r.last, updated_at = now()
         FROM (SELECT symbol, min(date) AS first, max(date) AS last FROM price_bars WHERE symbol = ANY($1::varchar[]) GROUP BY symbol) r
         WHERE r.symbol = i.symbol AND (i.first_bar_date, i.last_bar_date) IS DISTINCT FROM (r.first, r.last)`,
        [symbols],
      );
      dataVersion = await versions.bump(runner.manager, {
        source: 'polygon',
        checksum: checksumOf(kept),
        symbols: symbols.length,
        bars: kept.length,
        report: outcome(barsWritten),
      });
    }
    await runner.commitTransaction();
    return report(barsWritten, dataVersion);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

/** Newest bar of the real instruments (items keeps it in step with price_bars); synthetic ones are left out. */
async function lastRealBarDate(dataSource: DataSource): Promise<string | null> {
  const [row] = (await dataSource.query(
    `SELECT max(last_bar_date)::text AS last FROM items WHERE sector <> $1`,
    [SYNTHETIC_SECTOR],
  )) as {
    last: string | null;
  }[];
  return row?.last ?? null;
}

type Query = (sql: string, params?: unknown[], useStructuredResult?: boolean) => Promise<unknown>;

/** The embedded importer's upsert: a row is touched only when a value differs, so a repeat writes nothing. */
async function upsertBars(query: Query, bars: CleanBar[]): Promise<number> {
  const result = (await query(
    `INSERT INTO price_bars (symbol, date, open, high, low, close, volume)
     SELECT * FROM unnest($1::varchar[], $2::date[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])
     ON CONFLICT (symbol, date) DO UPDATE
       SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
       WHERE (price_bars.open, price_bars.high, price_bars.low, price_bars.close, price_bars.volume)
         IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)`,
    [
      bars.map((b) => b.symbol),
      bars.map((b) => b.date),
      bars.map((b) => b.open),
      bars.map((b) => b.high),
      bars.map((b) => b.low),
      bars.map((b) => b.close),
      bars.map((b) => String(b.volume)),
    ],
    true,
  )) as { affected?: number };
  return result.affected ?? 0;
}

function checksumOf(bars: CleanBar[]): string {
  const hash = createHash('sha256');
  const sorted = [...bars].sort(
    (a, b) => a.symbol.localeCompare(b.symbol) || a.date.localeCompare(b.date),
  );
  for (const b of sorted)
    hash.update(`${b.symbol},${b.date},${b.open},${b.high},${b.low},${b.close},${b.volume}\n`);
  return hash.digest('hex');
}
