import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { cleanSymbolBars, type BarIssue, type CleanBar } from './bar-cleaner.js';
import { embeddedChecksum, readEmbeddedBars, readUniverse } from './embedded-dataset.js';

export interface ImportProgress {
  stage: 'reading' | 'writing';
  fraction: number;
}

export interface ImportReport {
  status: 'imported' | 'unchanged';
  dataVersion: number;
  symbols: number;
  barsRead: number;
  barsKept: number;
  /** Rows inserted or changed in price_bars by this run (0 on a repeat). */
  barsWritten: number;
  itemsWritten: number;
  repaired: BarIssue[];
  skipped: BarIssue[];
  elapsedMs: number;
}

export interface ImportOptions {
  dataDir: string;
  /** Re-read and compare every row even when this exact data set was imported before. */
  force?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

const csvLine = (b: CleanBar) =>
  `${b.symbol},${b.date},${b.open},${b.high},${b.low},${b.close},${b.volume}\n`;

/**
 * Loads the embedded S&P 500 universe into `items` and its daily bars into `price_bars` (COPY into
 * a staging table, then one upsert that touches only rows that differ), in one transaction, and
 * records a data version when anything changed. Running it twice changes nothing.
 */
export async function importEmbeddedData(
  dataSource: DataSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const checksum = embeddedChecksum(options.dataDir);
  const versions = new DataVersions(dataSource);
  const previous = await versions.findLatest('embedded', checksum);
  if (previous && !options.force) {
    return {
      status: 'unchanged',
      dataVersion: await versions.current(),
      symbols: previous.symbols,
      barsRead: 0,
      barsKept: previous.bars,
      barsWritten: 0,
      itemsWritten: 0,
      repaired: [],
      skipped: [],
      elapsedMs: performance.now() - started,
    };
  }

  const universe = readUniverse(options.dataDir);
  const known = new Set(universe.map((u) => u.symbol));
  const bars: CleanBar[] = [];
  const repaired: BarIssue[] = [];
  const skipped: BarIssue[] = [];
  const barsRead = await readEmbeddedBars(
    options.dataDir,
    (symbol, rows) => {
      if (!known.has(symbol))
        throw new Error(`price file has symbol ${symbol} missing from the universe file`);
      const cleaned = cleanSymbolBars(rows);
      for (const bar of cleaned.bars) bars.push(bar);
      repaired.push(...cleaned.repaired);
      skipped.push(...cleaned.skipped);
    },
    (fraction) => progress({ stage: 'reading', fraction }),
  );

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const itemsWritten = await upsertItems(runner.query.bind(runner), universe);
    await runner.query(
      'CREATE TEMP TABLE staging_bars (LIKE price_bars INCLUDING DEFAULTS) ON COMMIT DROP',
    );
    const client = (await runner.connect()) as PoolClient;
    await copyBars(client, bars, (fraction) => progress({ stage: 'writing', fraction }));
    const { affected: barsWritten = 0 } = await runner.query(
      `INSERT INTO price_bars (symbol, date, open, high, low, close, volume)
       SELECT symbol, date, open, high, low, close, volume FROM staging_bars
       ON CONFLICT (symbol, date) DO UPDATE
         SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
         WHERE (price_bars.open, price_bars.high, price_bars.low, price_bars.close, price_bars.volume)
           IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)`,
      [],
      true,
    );
    await runner.query(
      `UPDATE items i SET first_bar_date = r.first, last_bar_date = r.last, updated_at = now()
       FROM (SELECT symbol, min(date) AS first, max(date) AS last FROM price_bars GROUP BY symbol) r
       WHERE r.symbol = i.symbol AND (i.first_bar_date, i.last_bar_date) IS DISTINCT FROM (r.first, r.last)`,
    );
    let dataVersion = await versions.current(runner.manager);
    if (barsWritten > 0 || itemsWritten > 0 || !previous) {
      dataVersion = await versions.bump(runner.manager, {
        source: 'embedded',
        checksum,
        symbols: universe.length,
        bars: bars.length,
        report: { barsRead, barsWritten, itemsWritten, repaired, skipped },
      });
    }
    await runner.commitTransaction();
    return {
      status: 'imported',
      dataVersion,
      symbols: universe.length,
      barsRead,
      barsKept: bars.length,
      barsWritten,
      itemsWritten,
      repaired,
      skipped,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

async function upsertItems(
  query: Query,
  universe: ReturnType<typeof readUniverse>,
): Promise<number> {
  const result = (await query(
    `INSERT INTO items (symbol, name, description, sector, industry)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[], $5::varchar[])
     ON CONFLICT (symbol) DO UPDATE
       SET name = EXCLUDED.name, description = EXCLUDED.description, sector = EXCLUDED.sector,
           industry = EXCLUDED.industry, updated_at = now()
       WHERE (items.name, items.description, items.sector, items.industry)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.sector, EXCLUDED.industry)
     RETURNING symbol`,
    [
      universe.map((u) => u.symbol),
      universe.map((u) => u.name),
      universe.map((u) => u.description),
      universe.map((u) => u.sector),
      universe.map((u) => u.industry),
    ],
  )) as unknown[];
  return result.length;
}

async function copyBars(
  client: PoolClient,
  bars: CleanBar[],
  onProgress: (fraction: number) => void,
): Promise<void> {
  const stream = client.query(
    copyFrom(
      'COPY staging_bars (symbol, date, open, high, low, close, volume) FROM STDIN (FORMAT csv)',
    ),
  );
  const CHUNK = 10_000;
  async function* chunks() {
    for (let i = 0; i < bars.length; i += CHUNK) {
      yield bars
        .slice(i, i + CHUNK)
        .map(csvLine)
        .join('');
      onProgress(Math.min(1, (i + CHUNK) / bars.length));
    }
  }
  await pipeline(Readable.from(chunks()), stream);
}
