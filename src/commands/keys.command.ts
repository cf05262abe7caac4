import type { Command } from 'commander';
import type { AppConfig } from '#config';
import {
  ApiKeyRepository,
  OVERRIDABLE_LIMITS,
  parseGrants,
  parseLimitOverrides,
  parseScopes,
} from '#database';
import { usageColumns } from './usage-columns.js';
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
    .option(
      '--limit <bucket=n>',
      `this key's own requests per window for a bucket (repeatable): ${OVERRIDABLE_LIMITS.join(', ')}`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action((opts: { name: string; scopes: string; grants?: string; limit: string[] }) => {
      const scopes = parseScopes(opts.scopes);
      const grants = opts.grants === undefined ? [] : parseGrants(opts.grants);
      const limits = parseLimitOverrides(opts.limit);
      if (scopes.includes('install') !== grants.length > 0)
        throw new Error('--scopes install and --grants go together: an app key needs both');
      const name = opts.name.trim();
      if (name.length === 0 || name.length > 100)
        throw new Error('--name must be 1..100 characters');
      return withDataSource(config(), async (ds) => {
        const { key } = await new ApiKeyRepository(ds).create(name, scopes, grants, limits);
        process.stdout.write(`${key}\n`);
      });
    });

  keys
    .command('list')
    .description(
      'list keys: prefix, name, scopes, state, created, last used, requests today (UTC), limit overrides; never the keys themselves',
    )
    .action(() =>
      withDataSource(config(), async (ds) => {
        for (const k of await new ApiKeyRepository(ds).list()) {
          const { prefix, createdAt, revokedAt } = k.secret;
          const state = revokedAt ? `revoked ${revokedAt.toISOString()}` : 'active';
          const grants = k.grants.length ? ` grants ${k.grants.join(',')}` : '';
          // In the buckets' own order: jsonb keeps its keys in an order of its own.
          const limits = OVERRIDABLE_LIMITS.filter((b) => k.limits[b] !== undefined).map(
            (bucket) => `${bucket}=${k.limits[bucket]}`,
          );
          const columns = [
            prefix,
            k.name,
            `${k.scopes.join(',')}${grants}`,
            state,
            `created ${createdAt.toISOString()}`,
            ...usageColumns(k.usage),
            ...(limits.length ? [`limits ${limits.join(',')}`] : []),
          ];
          process.stdout.write(`${columns.join('\t')}\n`);
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
