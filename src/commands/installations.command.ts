import type { Command } from 'commander';
import type { AppConfig } from '#config';
import { InstallationRepository } from '#database';
import { usageColumns } from './usage-columns.js';
import { info, withDataSource } from './with-data-source.js';

export function registerInstallationCommands(program: Command, config: () => AppConfig): void {
  const installations = program
    .command('installations')
    .description('installation tokens registered by app keys (POST /v1/installations)');

  installations
    .command('list')
    .description(
      'list installations, newest first: prefix, app key, scopes, created, state, last used, requests today (UTC)',
    )
    .option('--key <prefix>', 'only those registered by the app key with this prefix')
    .action((opts: { key?: string }) =>
      withDataSource(config(), async (ds) => {
        for (const i of await new InstallationRepository(ds).list(opts.key)) {
          const state = i.revokedAt ? `revoked ${i.revokedAt.toISOString()}` : 'active';
          const app = `${i.appKeyPrefix} (${i.appKeyName})`;
          const columns = [i.prefix, app, i.scopes.join(','), i.createdAt.toISOString(), state];
          process.stdout.write(`${[...columns, ...usageColumns(i.usage)].join('\t')}\n`);
        }
      }),
    );

  installations
    .command('revoke <prefix>')
    .description('revoke the installation with this prefix (the 8 characters after msi_)')
    .action((prefix: string) =>
      withDataSource(config(), async (ds) => {
        if ((await new InstallationRepository(ds).revoke(prefix)) === 0)
          throw new Error(`no active installation with prefix ${prefix}`);
        info(`revoked ${prefix}; api processes forget it within the key cache TTL`);
      }),
    );
}
