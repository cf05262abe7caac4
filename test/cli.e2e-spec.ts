import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './support/cli.js';
import { IMPORTED_BARS, IMPORTED_ITEMS } from './support/fixtures.js';
import { useStack } from './support/stack.js';

const KEY_LINE = /^msk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/;

interface KeyRow {
  scopes: string[];
  revoked_at: Date | null;
}

interface Counts {
  bars: number;
  items: number;
  versions: number;
  itemsUpdatedAt: Date;
}

describe('cli', () => {
  // No key cache, so a revocation by the CLI shows on the very next request.
  const stack = useStack({ api: { API_KEY_CACHE_TTL_MS: '0' } });

  const counts = async () => {
    const [row] = await stack.ds.query<Counts[]>(
      `SELECT (SELECT count(*) FROM price_bars)::int AS bars,
              (SELECT count(*) FROM items WHERE symbol NOT LIKE 'ZZ%')::int AS items,
              (SELECT count(*) FROM data_versions)::int AS versions,
              (SELECT max(updated_at) FROM items WHERE symbol NOT LIKE 'ZZ%') AS "itemsUpdatedAt"`,
    );
    return row!;
  };

  describe('keys', () => {
    let key = '';

    it('creates a key and prints exactly one line, the key, on stdout', async () => {
      const res = await cli('keys', 'create', '--name', 'e2e-cli', '--scopes', 'read,scan');
      assert.equal(res.code, 0, res.stderr);
      const lines = res.stdout.split('\n');
      assert.equal(lines.length, 2, `one line and its newline, got ${JSON.stringify(res.stdout)}`);
      assert.equal(lines[1], '');
      assert.match(lines[0]!, KEY_LINE);
      key = lines[0]!;
      const [row] = await stack.ds.query<KeyRow[]>(
        `SELECT scopes, revoked_at FROM api_keys WHERE name = 'e2e-cli'`,
      );
      assert.deepEqual([...row!.scopes].sort(), ['read', 'scan']);
      assert.equal(row!.revoked_at, null);
    });

    it('makes a key that the api accepts', async () => {
      assert.ok(key, 'the previous test created a key');
      const res = await stack.call(`/v1/items/AAPL`, { key });
      assert.equal(res.status, 200);
    });

    it('refuses unknown scopes with a non-zero exit, a message and no key', async () => {
      const res = await cli(
        'keys',
        'create',
        '--name',
        'e2e-cli-bad',
        '--scopes',
        'read,superuser',
      );
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /scopes/);
      assert.match(res.stderr, /superuser/);
      assert.equal(res.stdout, '');
      assert.deepEqual(
        await stack.ds.query(`SELECT 1 FROM api_keys WHERE name = 'e2e-cli-bad'`),
        [],
      );
    });

    it('refuses a blank name with a non-zero exit and no key', async () => {
      const res = await cli('keys', 'create', '--name', '   ', '--scopes', 'read');
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /--name/);
      assert.equal(res.stdout, '');
    });

    it('lists keys by prefix without ever printing the secret', async () => {
      const res = await cli('keys', 'list');
      assert.equal(res.code, 0, res.stderr);
      const prefix = key.slice(4, 12);
      assert.match(
        res.stdout,
        new RegExp(
          `^${prefix}\\te2e-cli\\tread,scan\\tactive\\tcreated \\S+Z\\tlast used \\S+\\ttoday \\d+$`,
          'm',
        ),
      );
      assert.ok(!res.stdout.includes(key.slice(13)), 'the secret part never appears');
    });

    it('revokes a key by prefix, after which the api answers 401', async () => {
      const prefix = key.slice(4, 12);
      const res = await cli('keys', 'revoke', prefix);
      assert.equal(res.code, 0, res.stderr);
      assert.equal((await stack.call(`/v1/items/AAPL`, { key })).status, 401);
      const again = await cli('keys', 'revoke', prefix);
      assert.notEqual(again.code, 0, 'a second revoke finds no active key');
    });
  });

  describe('data import', () => {
    it('reports nothing changed on the imported test database and leaves every count as it was', async () => {
      const before = await counts();
      assert.equal(before.bars, IMPORTED_BARS);
      assert.equal(before.items, IMPORTED_ITEMS);
      const res = await cli('data', 'import');
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stderr, /nothing changed/);
      assert.deepEqual(await counts(), before);
    });

    it('with --force re-reads every row yet writes no bar, no item and no data version', async () => {
      const before = await counts();
      const res = await cli('data', 'import', '--force');
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stderr, /619040 rows read, 619031 bars kept, 0 bars written/);
      assert.deepEqual(await counts(), before);
    });
  });

  describe('db', () => {
    it('check exits 0: entities and migrations agree', async () => {
      const res = await cli('db', 'check');
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stderr, /entities and migrations agree/);
    });
  });
});
