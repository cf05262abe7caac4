import type { Command } from 'commander';
import type { AppConfig } from '#config';
import { schemaDrift } from '#database';
import { info, withDataSource } from './with-data-source.js';

export function registerDbCommands(program: Command, config: () => AppConfig): void {
  const db = program.command('db').description('schema migrations');

  db.command('migrate')
    .description('apply pending migrations (the deploy step; the apps never migrate at start)')
    .action(() =>
      withDataSource(config(), async (ds) => {
        const applied = await ds.runMigrations({ transaction: 'each' });
        info(
          applied.length
            ? `applied ${applied.map((m) => m.name).join(', ')}`
            : 'schema is up to date',
        );
      }),
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
