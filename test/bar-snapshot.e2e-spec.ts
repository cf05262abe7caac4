import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { DataVersions } from '#database';
import { ScanRun, type BarStore } from '#scan-engine';
import { BarCacheLoader, type LoadedUniverse } from '../apps/worker/scan/bar-cache.loader.js';
import { BarSnapshots } from '../apps/worker/scan/bar-snapshot.files.js';
import { selectUniverse } from '../apps/worker/scan/universe.js';
import { DEFAULT_SCAN_REQUEST } from './support/fixtures.js';
import { useStack } from './support/stack.js';

/**
 * The bar-cache snapshot against real PostgreSQL and the imported data (505 symbols): the first
 * loader of a version copies the bars from PostgreSQL and writes the snapshot; the next reads it
 * without one query on price_bars and scans to the same results; a damaged snapshot is never used.
 */
describe('bar cache snapshot', () => {
  const stack = useStack();
  const dir = mkdtempSync(join(tmpdir(), 'bar-snapshot-e2e-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A loader on the stack's database whose SQL is recorded (the data source is the real one). */
  function loader(): { loader: BarCacheLoader; sql: string[] } {
    const sql: string[] = [];
    const ds = stack.ds;
    const recording = {
      createQueryRunner: () => {
        const runner = ds.createQueryRunner();
        const connect = runner.connect.bind(runner);
        runner.connect = async () => {
          const client = (await connect()) as PoolClient;
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
            const text = args[0] as string | { text?: string };
            sql.push(typeof text === 'string' ? text : (text.text ?? String(text)));
            return query(...args);
          };
          return client;
        };
        const manager = runner.manager;
        const managerQuery = manager.query.bind(manager);
        manager.query = (text: string, parameters?: unknown[]) => {
          sql.push(text);
          return managerQuery(text, parameters);
        };
        return runner;
      },
    } as unknown as DataSource;
    return {
      loader: new BarCacheLoader(recording, new DataVersions(ds), new BarSnapshots(dir)),
      sql,
    };
  }

  const scanAll = (u: LoadedUniverse) => {
    const request = { ...DEFAULT_SCAN_REQUEST, minTechRating: 0, maxSymbols: 100 } as never;
    const run = new ScanRun(u.store, selectUniverse(request, u.instruments, u.indexOf), {
      profile: 'balanced',
      minTechRating: 0,
      maxSymbols: 100,
      accountSize: 10_000,
      riskPct: 1,
      targetRR: 2,
    });
    while (!run.done) run.step(100);
    return run.result();
  };
  const columns = (s: BarStore) =>
    (['offsets', 'dates', 'open', 'high', 'low', 'close', 'volume'] as const).map((c) =>
      Array.from(s[c]),
    );
  const version = () => new DataVersions(stack.ds).current();
  let first: LoadedUniverse;

  it('the first loader of a version reads PostgreSQL and writes the snapshot', async () => {
    const { loader: a, sql } = loader();
    first = (await a.load(await version())).universe;
    assert.equal(first.source, 'postgres');
    assert.ok(sql.some((q) => /COPY .*price_bars/s.test(q)));
    await a.snapshotWritten;
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.arrow')).length, 1);
  });

  it('a second loader reads the snapshot, queries no bars, and scans to the same results', async () => {
    const { loader: b, sql } = loader();
    const { universe } = await b.load(await version());
    assert.equal(universe.source, 'snapshot');
    assert.equal(universe.dataVersion, first.dataVersion);
    assert.deepEqual(
      sql.filter((q) => /price_bars/.test(q)),
      [],
      'no query touches price_bars',
    );
    assert.ok(universe.store.close.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(universe.store.symbols, first.store.symbols);
    assert.deepEqual(columns(universe.store), columns(first.store));
    assert.deepEqual(universe.instruments, first.instruments);
    const [fromSnapshot, fromPostgres] = [scanAll(universe), scanAll(first)];
    assert.ok(fromPostgres.hits.length > 0, 'the scan finds hits to compare');
    assert.deepEqual(fromSnapshot, fromPostgres);
  });

  it('a corrupt snapshot is not used: PostgreSQL again, and the snapshot is rewritten', async () => {
    const [name] = readdirSync(dir).filter((n) => n.endsWith('.arrow'));
    const path = join(dir, name!);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(path, bytes);
    const { loader: c, sql } = loader();
    const { universe } = await c.load(await version());
    assert.equal(universe.source, 'postgres');
    assert.ok(sql.some((q) => /COPY .*price_bars/s.test(q)));
    assert.deepEqual(columns(universe.store), columns(first.store));
    await c.snapshotWritten;
    const { loader: d } = loader();
    assert.equal((await d.load(await version())).universe.source, 'snapshot', 'rewritten whole');
  });
});
