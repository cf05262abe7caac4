import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Item, ItemPage } from './support/api-types.js';
import { newItem } from './support/fixtures.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

// Creating, changing and deactivating items (scope admin), with a 1 KiB body limit to hit 413.
// Reading them: items.e2e-spec.ts.

describe('items API', () => {
  const stack = useStack({
    api: { BODY_LIMIT_BYTES: '1024' },
    keys: { read: 'read', admin: 'admin' },
  });
  const { keys } = stack;

  describe('writes', () => {
    it('forbids POST for a key with only the read scope', async () => {
      assertProblem(
        await stack.call(`/v1/items`, { method: 'POST', key: keys.read, json: newItem('ZZREAD') }),
        403,
      );
      assert.equal((await stack.ds.query(`SELECT 1 FROM items WHERE symbol = 'ZZREAD'`)).length, 0);
    });

    it('creates an item with an admin key (201) and refuses the same symbol again with 409', async () => {
      const first = await stack.call<Item>(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        json: newItem('ZZNEW', { sector: 'tech' }),
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.symbol, 'ZZNEW');
      assert.equal(first.body.sector, 'Information Technology');
      assertProblem(
        await stack.call(`/v1/items`, { method: 'POST', key: keys.admin, json: newItem('ZZNEW') }),
        409,
      );
    });

    it('rejects an unknown body field with 400 whose errors name the field', async () => {
      const res = await stack.call(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        json: newItem('ZZUNK', { colour: 'red' }),
      });
      assertProblem(res, 400);
      assert.ok(
        res.body.errors!.some((e) => e.field === 'colour'),
        JSON.stringify(res.body.errors),
      );
    });

    it('rejects an invalid symbol with 400 naming the symbol field', async () => {
      const res = await stack.call(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        json: newItem('zz lower'),
      });
      assertProblem(res, 400);
      assert.ok(res.body.errors!.some((e) => e.field === 'symbol'));
    });

    it('rejects a name made only of spaces with 400', async () => {
      const res = await stack.call(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        json: newItem('ZZBLANK', { name: '   ' }),
      });
      assertProblem(res, 400);
    });

    it('answers malformed JSON with 400, never 500', async () => {
      const res = await stack.call(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        headers: { 'Content-Type': 'application/json' },
        body: '{"symbol": "ZZBAD", "name": ',
      });
      assertProblem(res, 400);
    });

    it('answers a body larger than BODY_LIMIT_BYTES with 413', async () => {
      const res = await stack.call(`/v1/items`, {
        method: 'POST',
        key: keys.admin,
        json: newItem('ZZBIG', { description: 'x'.repeat(2048) }),
      });
      assertProblem(res, 413);
      assert.equal((await stack.ds.query(`SELECT 1 FROM items WHERE symbol = 'ZZBIG'`)).length, 0);
    });

    it('changes the name with PATCH (200) and persists it', async () => {
      const res = await stack.call<Item>(`/v1/items/ZZNEW`, {
        method: 'PATCH',
        key: keys.admin,
        json: { name: 'Renamed Corp' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.name, 'Renamed Corp');
      assert.deepEqual(await stack.ds.query(`SELECT name FROM items WHERE symbol = 'ZZNEW'`), [
        { name: 'Renamed Corp' },
      ]);
    });

    it('rejects a PATCH with an empty body with 400', async () => {
      assertProblem(
        await stack.call(`/v1/items/ZZNEW`, { method: 'PATCH', key: keys.admin, json: {} }),
        400,
      );
    });

    it('answers a PATCH of an unknown symbol with 404', async () => {
      assertProblem(
        await stack.call(`/v1/items/ZZNOSUCH`, {
          method: 'PATCH',
          key: keys.admin,
          json: { name: 'x' },
        }),
        404,
      );
    });

    it('deactivates with DELETE (204): the item reads active:false, leaves the default list and shows with active=false', async () => {
      const del = await stack.call(`/v1/items/ZZNEW`, { method: 'DELETE', key: keys.admin });
      assert.equal(del.status, 204);
      const one = await stack.call<Item>(`/v1/items/ZZNEW`, { key: keys.read });
      assert.equal(one.status, 200);
      assert.equal(one.body.active, false);
      const active = await stack.call<ItemPage>(`/v1/items?q=ZZNEW`, { key: keys.read });
      assert.deepEqual(
        active.body.data.map((i) => i.symbol),
        [],
      );
      const inactive = await stack.call<ItemPage>(`/v1/items?q=ZZNEW&active=false`, {
        key: keys.read,
      });
      assert.deepEqual(
        inactive.body.data.map((i) => i.symbol),
        ['ZZNEW'],
      );
    });
  });
});
