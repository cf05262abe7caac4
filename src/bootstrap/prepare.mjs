// Steps shared by `npm start` and `npm test`: dependencies, build, services, schema, data.
// Plain Node with no dependencies: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
export function build() {
  say('building (tsc -b)');
  sh(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json']);
}

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
