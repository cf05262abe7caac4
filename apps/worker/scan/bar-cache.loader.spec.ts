import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import type { DataVersions } from '#database';
import { BarStoreBuilder } from '#scan-engine';
import { BarCacheLoader, type LoadedUniverse } from './bar-cache.loader.js';

/**
 * Which version a scan runs on and when the cache reloads. The database is a fake answering the
 * current data version; the COPY of the bars is replaced by a function returning an empty universe
 * of the version its snapshot "saw".
 */
function setUp(databaseVersion: number) {
  const db = {
    version: databaseVersion,
    queries: 0,
    reads: [] as number[],
    snapshotVersion: null as number | null,
    failNextRead: false,
  };
  const versions = {
    current: async () => {
      db.queries++;
      return db.version;
    },
  } as unknown as DataVersions;
  const loader = new BarCacheLoader({} as DataSource, versions);
  // The private COPY of every bar, replaced: `read` is the one method here that needs PostgreSQL.
  Object.assign(loader, {
    read: async (version: number): Promise<LoadedUniverse> => {
      db.reads.push(version);
      if (db.failNextRead) {
        db.failNextRead = false;
        throw new Error('connection lost during COPY');
      }
      const store = new BarStoreBuilder(1).build();
      return {
        dataVersion: db.snapshotVersion ?? version,
        store,
        instruments: [],
        indexOf: new Map(),
        loadMs: 0,
        source: 'postgres',
      };
    },
  });
  return { db, loader };
}

describe('BarCacheLoader', () => {
  it('scans the version the job was admitted on, without a query, while the cache holds it', async () => {
    const { db, loader } = setUp(4);
    await loader.load(await loader.versionFor(4));
    const queries = db.queries;
    db.version = 5;
    assert.equal(await loader.versionFor(4), 4);
    assert.equal(db.queries, queries);
  });

  it('scans the current version when the cache holds another one than the job’s', async () => {
    const { db, loader } = setUp(4);
    await loader.load(4);
    db.version = 5;
    assert.equal(await loader.versionFor(5), 5);
    assert.equal(
      await loader.versionFor(3),
      5,
      'an older version cannot be read back: bars are upserted in place',
    );
  });

  it('loads each version once: later scans on it are cache hits', async () => {
    const { db, loader } = setUp(4);
    assert.equal((await loader.load(4)).cacheHit, false);
    assert.equal((await loader.load(4)).cacheHit, true);
    assert.equal((await loader.load(5)).cacheHit, false);
    assert.deepEqual(db.reads, [4, 5]);
  });

  it('shares one load between scans that ask for the same version at once', async () => {
    const { db, loader } = setUp(4);
    const [a, b] = await Promise.all([loader.load(4), loader.load(4)]);
    assert.equal(a.universe, b.universe);
    assert.deepEqual(db.reads, [4]);
  });

  it('keys the cache by the version its snapshot held when a bump came in between', async () => {
    const { db, loader } = setUp(4);
    db.snapshotVersion = 5;
    assert.equal((await loader.load(4)).universe.dataVersion, 5);
    assert.equal(await loader.versionFor(5), 5);
    assert.equal((await loader.load(5)).cacheHit, true);
  });

  it('forgets a failed load, so the next scan loads again', async () => {
    const { db, loader } = setUp(4);
    db.failNextRead = true;
    await assert.rejects(loader.load(4), /connection lost/);
    assert.equal((await loader.load(4)).cacheHit, false);
    assert.deepEqual(db.reads, [4, 4]);
  });
});
