import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { SYNTHETIC_SECTOR } from '../sectors.js';
import {
  generateSeries,
  MAX_SYNTHETIC_SYMBOLS,
  seriesCsv,
  syntheticSymbol,
  tradingDays,
  SYNTHETIC_END_DATE,
} from './synthetic-universe.js';

export interface SynthOptions {
  /** How many instruments: SYN00001 … SYN{symbols}. */
  symbols: number;
  /** Daily bars per instrument, ending on {@link SYNTHETIC_END_DATE}. */
  bars: number;
  /** Universe seed (unsigned 32-bit integer); the same seed gives the same bars. */
  seed: number;
  /** Write even though the database holds real instruments. */
  allowMixed?: boolean;
  /** Delete the existing synthetic instruments (and their bars) first, instead of refusing. */
  replace?: boolean;
  /** Called as instruments are written. */
  onProgress?: (written: number, total: number) => void;
}

export interface SynthReport {
  symbols: number;
  bars: number;
  firstDate: string;
  lastDate: string;
  /** sha256 of the rows written, in COPY order: equal for equal (symbols, bars, seed). */
  checksum: string;
  /** Synthetic instruments deleted first (with --replace). */
  replaced: number;
  dataVersion: number;
  elapsedMs: number;
}

export const MAX_SYNTHETIC_BARS = 20_000;

/** The example in the refusal message, spelled out in docs/market-data.md too. */
const SEPARATE_DATABASE_EXAMPLE =
  'DATABASE_URL=postgres://scanner:scanner@127.0.0.1:5432/scanner_synth npm run cli -- data synth --symbols 10000';

/** The target database holds real instruments and the caller did not say `--allow-mixed`. */
export class MixedDataError extends Error {
  constructor(
    readonly database: string,
    readonly realItems: number,
  ) {
    super(
      `refusing to add synthetic instruments to database "${database}": it already holds ${realItems} real instruments, ` +
        `and synthetic bars would show up in their users' scans. Synthetic universes belong in a separate database: ` +
        `create it, run \`npm run cli -- db migrate\` against it, then for example\n  ${SEPARATE_DATABASE_EXAMPLE}\n` +
        `Pass --allow-mixed only if mixing is really what you want.`,
    );
    this.name = 'MixedDataError';
  }
}

/** Instruments per COPY chunk: about 10k rows (≈ 600 kB of CSV) at 1,260 bars, so memory stays flat. */
const SYMBOLS_PER_CHUNK = 8;

const SYNTH_LOCK_KEY = 'market-data:synthetic-universe';

/**
 * Fresh statistics, so the first scans plan for millions of rows rather than an empty table. Best
 * effort: the data is committed already, and autovacuum analyzes later anyway.
 */
async function analyze(query: (sql: string) => Promise<unknown>): Promise<void> {
  try {
    await query('SET statement_timeout = 0');
    await query('ANALYZE items, price_bars');
  } catch {
    // see above
  } finally {
    await query('RESET statement_timeout').catch(() => {});
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Drops price_bars' foreign keys and returns their exact definitions (read from the catalog, so
 * they are re-created as the migrations made them, whatever those become).
 */
async function dropForeignKeys(
  query: (sql: string) => Promise<unknown>,
): Promise<{ name: string; definition: string }[]> {
  const keys = (await query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'price_bars'::regclass AND contype = 'f' ORDER BY conname`,
  )) as { name: string; definition: string }[];
  for (const fk of keys)
    await query(`ALTER TABLE price_bars DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  return keys;
}

function validate(options: SynthOptions): void {
  const problems: string[] = [];
  if (
    !Number.isInteger(options.symbols) ||
    options.symbols < 1 ||
    options.symbols > MAX_SYNTHETIC_SYMBOLS
  ) {
    problems.push(`--symbols must be an integer in 1..${MAX_SYNTHETIC_SYMBOLS}`);
  }
  if (!Number.isInteger(options.bars) || options.bars < 1 || options.bars > MAX_SYNTHETIC_BARS) {
    problems.push(`--bars must be an integer in 1..${MAX_SYNTHETIC_BARS}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff)
    problems.push('--seed must be an integer in 0..4294967295');
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}

/**
 * Adds a synthetic universe: `symbols` items in sector `Synthetic` and their random-walk bars
 * (streamed with COPY, generated symbol by symbol), then a `synthetic` data version. One
 * transaction: a failure or Ctrl-C leaves nothing behind.
 *
 * Safety: refuses a database that holds real (non-synthetic) instruments unless `allowMixed`, and
 * refuses when synthetic instruments already exist unless `replace` (which deletes them first), so
 * a rerun never silently mixes two universes. The database must exist and be migrated.
 */
export async function writeSyntheticUniverse(
  dataSource: DataSource,
  options: SynthOptions,
): Promise<SynthReport> {
  validate(options);
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  if (await dataSource.showMigrations()) {
    throw new Error(
      'the database has pending migrations: run `npm run cli -- db migrate` with the same DATABASE_URL first',
    );
  }
  const dates = tradingDays(options.bars, SYNTHETIC_END_DATE);
  const firstDate = dates[0]!;
  const lastDate = dates[dates.length - 1]!;

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // A 12.6 M-row COPY runs far longer than the pool's statement timeout, which guards requests.
    await runner.query('SET LOCAL statement_timeout = 0');
    // Two concurrent runs would both pass the checks below; the second waits here instead.
    await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SYNTH_LOCK_KEY]);
    const [counts] = (await runner.query(
      `SELECT current_database() AS database, count(*) FILTER (WHERE sector <> $1)::int AS real,
              count(*) FILTER (WHERE sector = $1)::int AS synthetic
       FROM items`,
      [SYNTHETIC_SECTOR],
    )) as { database: string; real: number; synthetic: number }[];
    if (counts!.real > 0 && !options.allowMixed)
      throw new MixedDataError(counts!.database, counts!.real);
    if (counts!.synthetic > 0 && !options.replace) {
      throw new Error(
        `the database already holds ${counts!.synthetic} synthetic instruments; pass --replace to regenerate the synthetic universe, ` +
          'or use a fresh database',
      );
    }
    // A dedicated database (no real instruments, the intended use) is loaded the fast way: TRUNCATE
    // instead of a cascading DELETE of millions of rows, foreign keys dropped during the COPY and
    // re-added (validated in one pass) after it — the per-row FK check is most of a COPY's cost — and
    // rows written frozen. All of it inside the transaction, so a failure restores every constraint.
    // With --allow-mixed the database is live: no table-wide locks, the slower path.
    const dedicated = counts!.real === 0;
    if (dedicated) await runner.query('TRUNCATE price_bars');
    const deleted = (await runner.query(
      'DELETE FROM items WHERE sector = $1',
      [SYNTHETIC_SECTOR],
      true,
    )) as {
      affected?: number;
    };
    const replaced = deleted.affected ?? 0;
    const foreignKeys = dedicated ? await dropForeignKeys(runner.query.bind(runner)) : [];

    const symbols = Array.from({ length: options.symbols }, (_, i) => syntheticSymbol(i + 1));
    await runner.query(
      `INSERT INTO items (symbol, name, description, sector, industry, first_bar_date, last_bar_date)
       SELECT s, 'Synthetic ' || substr(s, 4), $2, $3, NULL, $4::date, $5::date FROM unnest($1::varchar[]) AS s`,
      [
        symbols,
        `Synthetic random-walk instrument (seed ${options.seed}) for benchmarks and fault tests; not market data.`,
        SYNTHETIC_SECTOR,
        firstDate,
        lastDate,
      ],
    );

    const hash = createHash('sha256');
    const client = (await runner.connect()) as PoolClient;
    const copy = client.query(
      copyFrom(
        `COPY price_bars (symbol, date, open, high, low, close, volume) FROM STDIN (FORMAT csv${dedicated ? ', FREEZE' : ''})`,
      ),
    );
    async function* chunks() {
      for (let first = 1; first <= options.symbols; first += SYMBOLS_PER_CHUNK) {
        const last = Math.min(options.symbols, first + SYMBOLS_PER_CHUNK - 1);
        let chunk = '';
        for (let index = first; index <= last; index++)
          chunk += seriesCsv(generateSeries(options.seed, index, options.bars), dates);
        hash.update(chunk);
        yield chunk;
        progress(last, options.symbols);
      }
    }
    await pipeline(Readable.from(chunks()), copy);
    const checksum = hash.digest('hex');
    for (const fk of foreignKeys)
      await runner.query(
        `ALTER TABLE price_bars ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`,
      );

    const dataVersion = await new DataVersions(dataSource).bump(runner.manager, {
      source: 'synthetic',
      checksum,
      symbols: options.symbols,
      bars: options.symbols * options.bars,
      report: {
        seed: options.seed,
        barsPerSymbol: options.bars,
        firstDate,
        lastDate,
        replaced,
        mixed: counts!.real > 0,
      },
    });
    await runner.commitTransaction();
    await analyze(runner.query.bind(runner));
    return {
      symbols: options.symbols,
      bars: options.symbols * options.bars,
      firstDate,
      lastDate,
      checksum,
      replaced,
      dataVersion,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
