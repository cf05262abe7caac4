import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from './support/cli.js';
import { waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';

const LOCK = 'market-scanner:migrations'; // src/commands/db.command.ts MIGRATION_LOCK

describe('db migrate', () => {
  const stack = useStack();

  it('waits while another migrator holds the migration lock, then finds the schema current', async () => {
    const other = stack.ds.createQueryRunner();
    await other.connect();
    let migrate: ReturnType<typeof cli> | undefined;
    try {
      await other.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK]);
      let exited = false;
      migrate = cli('db', 'migrate');
      void migrate.then(() => (exited = true));
      // The CLI's session shows up waiting for that advisory lock: it is blocked, not finished.
      await waitFor(
        async () => {
          const [row] = await stack.ds.query<{ waiting: number }[]>(
            `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
          );
          return row!.waiting === 1;
        },
        30_000,
        'db migrate to wait for the migration lock',
      );
      assert.equal(exited, false);
    } finally {
      await other.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
      await other.release();
    }
    const done = await migrate!;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, /schema is up to date/);
  });
});
