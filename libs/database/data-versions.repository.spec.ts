import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource, EntityManager } from 'typeorm';
import { DataVersions } from './data-versions.repository.js';

const version = { source: 'polygon', checksum: 'c'.repeat(64), symbols: 2, bars: 4, report: {} };

/** Just the part of an EntityManager DataVersions touches. */
const manager = (inTransaction: boolean, saved: unknown[] = []) =>
  ({
    queryRunner: { isTransactionActive: inTransaction },
    query: async () => [{ v: 7 }],
    getRepository: () => ({ save: async (row: object) => (saved.push(row), { ...row, id: 8 }) }),
  }) as unknown as EntityManager;

describe('DataVersions', () => {
  const versions = new DataVersions({ manager: manager(false) } as unknown as DataSource);

  it('reads the current version through the given manager, or the data source', async () => {
    assert.equal(await versions.current(), 7);
    assert.equal(await versions.current(manager(true)), 7);
  });

  it('records a bump inside a transaction and returns the new version', async () => {
    const saved: unknown[] = [];
    assert.equal(await versions.bump(manager(true, saved), version), 8);
    assert.deepEqual(saved, [version]);
  });

  it('refuses a bump outside a transaction, where the version could commit without its bars', async () => {
    const saved: unknown[] = [];
    await assert.rejects(versions.bump(manager(false, saved), version), /inside the transaction/);
    assert.deepEqual(saved, []);
  });
});
