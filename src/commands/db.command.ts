import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import { schemaDrift } from '#database';
import { info, withDataSource } from './with-data-source.js';

export function registerDbCommands(program: Command, config: () => AppConfig): void {
  const db = program.command('db').description('schema migrations');

  db.command('migrate')
    .description('apply pending migrations (the deploy step; the apps never migrate at start)')
    .action(() =>
      withDataSource(config(), (ds) =>
        withMigrationLock(ds, async () => {
          const applied = await ds.runMigrations({ transaction: 'each' });
          info(
            applied.length
              ? `applied ${applied.map((m) => m.name).join(', ')}`
              : 'schema is up to date',
          );
        }),
      ),
    );

  db.command('revert')
    .description('undo the last applied migration')
    .action(() =>
      withDataSource(config(), async (ds) => {
        await ds.undoLastMigration({ transaction: 'each' });
        info('reverted the last migration');
      }),
    );

  db.command('check')
    .description('fail when the entities and the migrated schema differ (run after migrate)')
    .action(() =>
      withDataSource(config(), async (ds) => {
        if (await ds.showMigrations())
          throw new Error('pending migrations: run `npm run cli -- db migrate` first');
        const drift = await schemaDrift(ds);
        if (drift.length > 0) {
          throw new Error(
            `entities and migrations drift; a new migration needs:\n${drift.join(';\n')};`,
          );
        }
        info('entities and migrations agree');
      }),
    );
}

/** The advisory lock `db migrate` holds (hashed to PostgreSQL's bigint key space). */
export const MIGRATION_LOCK = 'market-scanner:migrations';

/**
 * Runs `work` while holding a session-level advisory lock on its own connection: the hosts of a
 * fleet boot together and each runs `db migrate` (deploy/deploy.sh), so a second migrator waits
 * for the first, then finds the schema current, instead of both creating the same tables. The
 * wait has no statement timeout (DB_STATEMENT_TIMEOUT_MS would cut it short mid-migration).
 */
async function withMigrationLock<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SET statement_timeout = 0');
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      return await work();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
      await lock.query('RESET statement_timeout');
    }
  } finally {
    await lock.release();
  }
}
