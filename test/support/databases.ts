import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import pg from 'pg';

/** The same server and credentials as `url`, another database. */
export const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the operator CLI from dist/ against `databaseUrl`. */
export function cli(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/src/cli.js', ...args], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server of `url` when it does not exist yet. */
export async function ensureDatabase(url: string, name: string): Promise<void> {
  await withClient(withDatabase(url, 'postgres'), async (c) => {
    const exists =
      (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (!exists) await c.query(`CREATE DATABASE ${name}`);
  });
}

/** Database `name` on the server of `baseUrl`, created when missing and migrated; its URL. */
export async function ensureMigratedDatabase(baseUrl: string, name: string): Promise<string> {
  const url = withDatabase(baseUrl, name);
  await ensureDatabase(baseUrl, name);
  const migrate = await cli(url, 'db', 'migrate');
  assert.equal(migrate.code, 0, `db migrate on ${name} failed:\n${migrate.stderr}`);
  return url;
}

/**
 * Database `name` beside `baseUrl`'s, migrated and holding exactly `symbols` synthetic instruments
 * of 1,260 bars (seed 3), made once (about a minute for 10,000) and reused by later runs. Returns its URL.
 */
export async function ensureSynthDatabase(
  baseUrl: string,
  name: string,
  symbols: number,
): Promise<string> {
  const url = await ensureMigratedDatabase(baseUrl, name);
  const count = `SELECT count(*)::int AS n FROM items WHERE sector = 'Synthetic'`;
  const n = await withClient(url, async (c) => (await c.query(count)).rows[0].n as number);
  if (n !== symbols) {
    const synth = await cli(
      url,
      'data',
      'synth',
      '--symbols',
      String(symbols),
      '--bars',
      '1260',
      '--seed',
      '3',
      '--replace',
    );
    if (synth.code !== 0) throw new Error(`data synth on ${name} failed:\n${synth.stderr}`);
  }
  return url;
}

/**
 * The name of a spec's own database beside the test database: `scanner_test` → `scanner_<role>_test`,
 * `scanner_alice_test` → `scanner_alice_<role>_test`. Runs on different test databases never share it.
 */
export const siblingDatabase = (testDatabaseUrl: string, role: string): string =>
  new URL(testDatabaseUrl).pathname.slice(1).replace(/_test$/, `_${role}_test`);
