import type { Command } from 'commander';
import type { AppConfig } from '#config';
import { ApiKeyRepository, parseGrants, parseScopes } from '#database';
import { info, withDataSource } from './with-data-source.js';

export function registerKeyCommands(program: Command, config: () => AppConfig): void {
  const keys = program.command('keys').description('API keys');

  keys
    .command('create')
    .description('create a key and print only the key on stdout')
    .requiredOption('--name <name>', 'who or what the key is for')
    .requiredOption('--scopes <list>', 'comma-separated: read,scan,predict,admin,install')
    .option(
      '--grants <list>',
      'for an app key (--scopes install): what each installation token gets, of read,scan,predict',
    )
    .action((opts: { name: string; scopes: string; grants?: string }) => {
      const scopes = parseScopes(opts.scopes);
      const grants = opts.grants === undefined ? [] : parseGrants(opts.grants);
      if (scopes.includes('install') !== grants.length > 0)
        throw new Error('--scopes install and --grants go together: an app key needs both');
      const name = opts.name.trim();
      if (name.length === 0 || name.length > 100)
        throw new Error('--name must be 1..100 characters');
      return withDataSource(config(), async (ds) => {
        const { key } = await new ApiKeyRepository(ds).create(name, scopes, grants);
        process.stdout.write(`${key}\n`);
      });
    });

  keys
    .command('list')
    .description('list keys (prefix, name, scopes, state); never the keys themselves')
    .action(() =>
      withDataSource(config(), async (ds) => {
        for (const k of await new ApiKeyRepository(ds).list()) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
          const grants = k.grants.length ? ` grants ${k.grants.join(',')}` : '';
          process.stdout.write(
            `${k.prefix}\t${k.name}\t${k.scopes.join(',')}${grants}\t${state}\n`,
          );
        }
      }),
    );

  keys
    .command('revoke <prefix>')
    .description(
      'revoke the key with this prefix (the 8 characters after msk_) and its installations',
    )
    .action((prefix: string) =>
      withDataSource(config(), async (ds) => {
        const revoked = await new ApiKeyRepository(ds).revoke(prefix);
        if (revoked.keys === 0) throw new Error(`no active key with prefix ${prefix}`);
        const also = revoked.installations ? ` and ${revoked.installations} installation(s)` : '';
        info(`revoked ${prefix}${also}; api processes forget them within the key cache TTL`);
      }),
    );
}
