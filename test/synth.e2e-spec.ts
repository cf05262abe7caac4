import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertTestDatabase } from '#database';
import {
  cli,
  ensureMigratedDatabase,
  siblingDatabase,
  withClient,
  withDatabase,
} from './support/databases.js';
import { testConfig } from './support/e2e.js';
import { useStack } from './support/stack.js';

/**
 * `data synth` end to end: the real CLI from dist/ against a scratch database beside the test
 * database (`scanner_synth_test` beside `scanner_test`; created here, migrated with `db migrate`,
 * dropped at the end), and once against the test database to prove it refuses to mix synthetic
 * and real instruments and changes nothing there.
 */

/** `data synth` with `args` against `url`. */
const synth = (url: string, ...args: string[]) => cli(url, 'data', 'synth', ...args);

const one = async <T>(url: string, sql: string, params: unknown[] = []): Promise<T> =>
  withClient(url, async (c) => (await c.query(sql, params)).rows[0] as T);

/** A digest of every stored bar in a fixed order: equal digests mean identical bars. */
const barsDigest = (url: string) =>
  one<{ digest: string }>(
    url,
    `SELECT md5(string_agg(concat_ws(',', symbol, date, open, high, low, close, volume), E'\\n' ORDER BY symbol, date)) AS digest FROM price_bars`,
  ).then((r) => r.digest);

const versionCount = (url: string) =>
  one<{ n: number }>(url, `SELECT count(*)::int AS n FROM data_versions`).then((r) => r.n);

describe('data synth (CLI, scratch database)', () => {
  const mainUrl = testConfig().databaseUrl;
  const mainDb = new URL(mainUrl).pathname.slice(1);
  const scratchDb = siblingDatabase(mainUrl, 'synth');
  const scratchUrl = withDatabase(mainUrl, scratchDb);
  const adminUrl = withDatabase(mainUrl, 'postgres');
  let firstDigest: string;

  useStack({
    database: async () => {
      assertTestDatabase(scratchUrl);
      await ensureMigratedDatabase(mainUrl, scratchDb);
      // A leftover of an interrupted run: start from an empty (migrated) scratch database.
      await withClient(scratchUrl, (c) =>
        c.query('TRUNCATE price_bars, items, data_versions RESTART IDENTITY CASCADE'),
      );
      return scratchUrl;
    },
  });

  // After the stack's own `after`, which closed its connections to the scratch database.
  after(async () => {
    await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`));
  });

  it('adds 50 instruments in sector Synthetic with 300 consistent bars each and bumps the data version', async () => {
    const run = await synth(scratchUrl, '--symbols', '50', '--bars', '300', '--seed', '7');
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /added 50 synthetic instruments, 15000 bars \(\d{4}-\d{2}-\d{2} \.\. 2018-02-07\), seed 7, data version 1/,
    );

    const items = await one<{
      n: number;
      synthetic: number;
      first: string;
      last: string;
      names: number;
    }>(
      scratchUrl,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE sector = 'Synthetic')::int AS synthetic,
              min(first_bar_date)::text AS first, max(last_bar_date)::text AS last,
              count(*) FILTER (WHERE symbol ~ '^SYN\\d{5}$' AND name = 'Synthetic ' || substr(symbol, 4))::int AS names
       FROM items`,
    );
    assert.deepEqual(
      { n: items.n, synthetic: items.synthetic, names: items.names, last: items.last },
      { n: 50, synthetic: 50, names: 50, last: '2018-02-07' },
    );

    const bars = await one<{
      n: number;
      per_symbol: number;
      inconsistent: number;
      weekend: number;
      first: string;
    }>(
      scratchUrl,
      `SELECT count(*)::int AS n, (count(*) / count(DISTINCT symbol))::int AS per_symbol,
              count(*) FILTER (WHERE NOT (low > 0 AND low <= least(open, close) AND greatest(open, close) <= high AND volume >= 100))::int AS inconsistent,
              count(*) FILTER (WHERE extract(isodow FROM date) > 5)::int AS weekend,
              min(date)::text AS first
       FROM price_bars`,
    );
    assert.deepEqual(bars, {
      n: 15_000,
      per_symbol: 300,
      inconsistent: 0,
      weekend: 0,
      first: items.first,
    });

    const version = await one<{
      id: number;
      source: string;
      symbols: number;
      bars: number;
      seed: number;
    }>(
      scratchUrl,
      `SELECT id, source, symbols, bars, (report->>'seed')::int AS seed FROM data_versions ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(version, { id: 1, source: 'synthetic', symbols: 50, bars: 15_000, seed: 7 });
    firstDigest = await barsDigest(scratchUrl);
  });

  it('refuses to add a second universe on top of the first without --replace, changing nothing', async () => {
    const run = await synth(scratchUrl, '--symbols', '50', '--bars', '300', '--seed', '7');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /already holds 50 synthetic instruments; pass --replace/);
    assert.equal(await versionCount(scratchUrl), 1);
    assert.equal(await barsDigest(scratchUrl), firstDigest);
  });

  it('regenerates identical bars from the same seed with --replace, as a new data version', async () => {
    const run = await synth(
      scratchUrl,
      '--symbols',
      '50',
      '--bars',
      '300',
      '--seed',
      '7',
      '--replace',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /replaced 50 synthetic instruments/);
    assert.equal(await barsDigest(scratchUrl), firstDigest);
    const checksums = await withClient(
      scratchUrl,
      async (c) => (await c.query(`SELECT checksum FROM data_versions ORDER BY id`)).rows,
    );
    assert.equal(checksums.length, 2);
    assert.equal(
      checksums[0].checksum,
      checksums[1].checksum,
      'the recorded sha256 of the rows matches too',
    );
  });

  it('gives different bars for another seed', async () => {
    const run = await synth(
      scratchUrl,
      '--symbols',
      '50',
      '--bars',
      '300',
      '--seed',
      '8',
      '--replace',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.notEqual(await barsDigest(scratchUrl), firstDigest);
    assert.equal(
      (await one<{ n: number }>(scratchUrl, `SELECT count(*)::int AS n FROM price_bars`)).n,
      15_000,
    );
  });

  it('with --allow-mixed keeps the real instruments and their bars, and the foreign key', async () => {
    await withClient(scratchUrl, async (c) => {
      await c.query(
        `INSERT INTO items (symbol, name, sector) VALUES ('ZZREAL', 'Real Corp', 'Utilities')`,
      );
      await c.query(
        `INSERT INTO price_bars VALUES ('ZZREAL', '2018-02-07', 10, 11, 9, 10.5, 1000)`,
      );
    });
    const refused = await synth(scratchUrl, '--symbols', '20', '--bars', '30', '--replace');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /already holds 1 real instruments/);

    const run = await synth(
      scratchUrl,
      '--symbols',
      '20',
      '--bars',
      '30',
      '--replace',
      '--allow-mixed',
    );
    assert.equal(run.code, 0, run.stderr);
    const state = await one<{ real_bars: number; synthetic: number; bars: number; fks: number }>(
      scratchUrl,
      `SELECT (SELECT count(*)::int FROM price_bars WHERE symbol = 'ZZREAL') AS real_bars,
              (SELECT count(*)::int FROM items WHERE sector = 'Synthetic') AS synthetic,
              (SELECT count(*)::int FROM price_bars) AS bars,
              (SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'price_bars'::regclass AND contype = 'f') AS fks`,
    );
    assert.deepEqual(state, { real_bars: 1, synthetic: 20, bars: 601, fks: 1 });
    await withClient(scratchUrl, (c) => c.query(`DELETE FROM items WHERE symbol = 'ZZREAL'`));
  });

  it('rejects bad arguments before touching the database', async () => {
    const run = await synth(scratchUrl, '--symbols', 'many');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--symbols must be a non-negative integer/);
    const zero = await synth(scratchUrl, '--symbols', '0');
    assert.notEqual(zero.code, 0);
    assert.match(zero.stderr, /--symbols must be an integer in 1\.\.99999/);
  });

  it('refuses the shared test database, which holds real instruments, and explains what to do instead', async () => {
    // Only what `synth` could write is compared: other specs may add their own rows meanwhile.
    const synthState = `SELECT (SELECT count(*)::int FROM items WHERE sector = 'Synthetic' OR symbol LIKE 'SYN%') AS items,
                               (SELECT count(*)::int FROM price_bars WHERE symbol LIKE 'SYN%') AS bars,
                               (SELECT count(*)::int FROM data_versions WHERE source = 'synthetic') AS versions`;
    const before = await one<{ items: number; bars: number; versions: number }>(
      mainUrl,
      synthState,
    );
    assert.deepEqual(before, { items: 0, bars: 0, versions: 0 });
    const run = await synth(mainUrl, '--symbols', '5', '--bars', '30', '--seed', '7');
    assert.notEqual(run.code, 0);
    // The count is whatever the shared database holds right now (505 imported, plus rows of other specs).
    assert.match(
      run.stderr,
      new RegExp(
        `refusing to add synthetic instruments to database "${mainDb}": it already holds \\d+ real instruments`,
      ),
    );
    assert.match(run.stderr, /separate database/);
    assert.match(
      run.stderr,
      /DATABASE_URL=postgres:\/\/scanner:scanner@127\.0\.0\.1:5432\/scanner_synth npm run cli -- data synth --symbols 10000/,
    );
    assert.match(run.stderr, /--allow-mixed/);
    assert.deepEqual(await one(mainUrl, synthState), before);
  });
});
