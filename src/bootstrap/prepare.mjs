// Steps shared by `npm start` and `npm test`: dependencies, build, services, schema, data.
// Plain Node with no dependencies: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  installedWithNode,
  linkPinnedNodeIntoBin,
  recordInstalledWithNode,
} from './node-runtime.mjs';
import { ensureDatabase, ensureServices } from './provision.mjs';

export const say = (message) => process.stderr.write(`[setup] ${message}\n`);

export function sh(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return result;
}

/**
 * Installs the locked dependency tree (`npm ci`) when node_modules is missing, older than the
 * lockfile, or was installed by another Node major (its native addons are built for that ABI).
 */
export function ensureDependencies() {
  const marker = 'node_modules/.package-lock.json';
  const current =
    existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
  const sameAbi = installedWithNode()?.split('.')[0] === process.versions.node.split('.')[0];
  if (!current || !sameAbi) {
    say(
      `installing dependencies (npm ci, from package-lock.json, on Node ${process.versions.node})`,
    );
    sh('npm', ['ci', '--no-audit', '--no-fund']);
    recordInstalledWithNode();
  }
  linkPinnedNodeIntoBin();
}

/** Incremental TypeScript build into dist/ (quick when nothing changed). */
export function build({ infra = true } = {}) {
  say('building (tsc -b)');
  // The apps, then (for the tests) the infrastructure code: deploy/aws is its own project, so the
  // apps' build never loads aws-cdk-lib's types. Both incremental.
  const projects = ['tsconfig.build.json', ...(infra ? [INFRA_TSCONFIG] : [])];
  sh(process.execPath, ['node_modules/typescript/bin/tsc', '-b', ...projects]);
}

/** The AWS CDK app's project (deploy/aws/tsconfig.json): compiled into dist/deploy/aws. */
export const INFRA_TSCONFIG = 'deploy/aws/tsconfig.json';

/** The validated configuration, read by the built config lib (so .env and defaults apply). */
export async function appConfig(env = process.env) {
  const { loadConfig } = await import(
    new URL('../../dist/libs/config/index.js', import.meta.url).href
  );
  return loadConfig(env);
}

export function cli(args, env = process.env, capture = false) {
  const result = spawnSync(process.execPath, ['dist/src/cli.js', ...args], {
    env,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`cli ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return capture ? result.stdout.trim() : '';
}

/** Services up, database present, migrations applied, embedded data imported when absent. */
export async function prepareDatabase(config, env) {
  await ensureServices({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl });
  await ensureDatabase(config.databaseUrl);
  cli(['db', 'migrate'], env);
  cli(['data', 'import', '--if-empty'], env);
}

/**
 * The API key stored in `file`, reused while it is still valid (present and not revoked) in this
 * database, so a second start prints the same key; else a new key with every scope, written to
 * `file` (owner-only) and returned. Shared by `npm start` and `npm run host:up`; pg is imported
 * on call, since this module loads before node_modules exists.
 * @param {{ file: string, name: string, databaseUrl: string, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<string>}
 */
export async function reuseOrCreateKey({ file, name, databaseUrl, env = process.env }) {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const found = await client
      .query('SELECT 1 FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
        createHash('sha256').update(key).digest('hex'),
      ])
      .finally(() => client.end());
    if (found.rowCount === 1) return key;
  }
  const key = cli(
    ['keys', 'create', '--name', name, '--scopes', 'read,scan,predict,admin'],
    env,
    true,
  );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
