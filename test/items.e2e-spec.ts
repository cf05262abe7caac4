import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Item, ItemPage } from './support/api-types.js';
import { IMPORTED_ITEMS, newItem } from './support/fixtures.js';
import { assertProblem, call, type Reply } from './support/http.js';
import { useStack } from './support/stack.js';

const ITEM_FIELDS =
  'symbol name description sector industry active firstBarDate lastBarDate createdAt updatedAt'.split(
    ' ',
  );

// Reading items: listing, authentication, one item, request ids. Creating, changing and
// deactivating them: items-writes.e2e-spec.ts.

describe('items API', () => {
  const stack = useStack({ api: true, keys: { read: 'read' } });
  const { keys } = stack;

  /** Follows nextCursor from the first page to the last; returns every item seen. */
  async function listAll(query: string): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const sep = query ? '&' : '';
      const res: Reply<ItemPage> = await stack.call<ItemPage>(
        `/v1/items?${query}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        { key: keys.read },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      items.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error('pagination did not end within 100 pages');
  }

  describe('listing', () => {
    it('pages through exactly the 505 imported items with limit=200 and ends with a null cursor', async () => {
      const items = await listAll('');
      const symbols = new Set(items.map((i) => i.symbol));
      assert.equal(items.length, IMPORTED_ITEMS);
      assert.equal(symbols.size, IMPORTED_ITEMS);
      assert.deepEqual([...symbols], [...symbols].sort(), 'pages are ordered by symbol');
    });

    it('filters by a sector alias: technology returns only the 70 Information Technology items', async () => {
      const items = await listAll('sector=technology');
      assert.equal(items.length, 70);
      assert.ok(items.every((i) => i.sector === 'Information Technology'));
    });

    it('rejects an unknown sector with 400 listing the valid sectors', async () => {
      const res = await stack.call(`/v1/items?sector=astrology`, { key: keys.read });
      assertProblem(res, 400);
      assert.match(res.body.detail, /Information Technology/);
      assert.match(res.body.detail, /Health Care/);
      assert.equal(res.body.errors![0]!.field, 'sector');
    });

    for (const limit of ['100000', '0', 'abc']) {
      it(`rejects limit=${limit} with 400 naming the limit field`, async () => {
        const res = await stack.call(`/v1/items?limit=${limit}`, { key: keys.read });
        assertProblem(res, 400);
        assert.ok(res.body.errors!.some((e) => e.field === 'limit'));
      });
    }

    it('finds AAPL with the case-insensitive text search q=apple', async () => {
      const res = await stack.call<ItemPage>(`/v1/items?q=apple`, { key: keys.read });
      assert.equal(res.status, 200);
      assert.ok(res.body.data.some((i) => i.symbol === 'AAPL'));
    });

    it('rejects a cursor the API never returned with 400', async () => {
      assertProblem(await stack.call(`/v1/items?cursor=not-a-cursor`, { key: keys.read }), 400);
    });
  });

  describe('authentication', () => {
    it('rejects a list request without an API key with a 401 problem+json body', async () => {
      const res = await stack.call(`/v1/items`);
      assertProblem(res, 401);
    });

    it('lists items for a key with the read scope', async () => {
      const res = await stack.call<ItemPage>(`/v1/items`, { key: keys.read });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(res.body.data) && res.body.data.length > 0);
    });

    it('accepts the key as an Authorization Bearer token like X-API-Key', async () => {
      const res = await stack.call<Item>(`/v1/items/AAPL`, {
        headers: { Authorization: `Bearer ${keys.read}` },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.symbol, 'AAPL');
    });

    it('rejects an unknown key with 401', async () => {
      const forged = `msk_AAAAAAAA_${'A'.repeat(43)}`;
      assertProblem(await stack.call(`/v1/items`, { key: forged }), 401);
    });

    it('requires a key on a percent-encoded /v1 path too', async () => {
      assertProblem(await stack.call(`/%761/items?limit=1`), 401);
      assertProblem(
        await stack.call(`/%761/items`, { method: 'POST', json: newItem('ZZBYPASS') }),
        401,
      );
    });

    it('stops accepting a revoked key once the key cache is off', async () => {
      await stack.withApp('api', { API_KEY_CACHE_TTL_MS: '0' }, async (noCache) => {
        const key = await stack.createKey('read', 'items-revoked');
        assert.equal((await call(`${noCache.url}/v1/items?limit=1`, { key })).status, 200);
        await stack.ds.query(
          `UPDATE api_keys SET revoked_at = now() WHERE name = 'e2e-items-revoked'`,
        );
        assertProblem(await call(`${noCache.url}/v1/items?limit=1`, { key }), 401);
      });
    });
  });

  describe('single item', () => {
    it('returns AAPL with every documented field', async () => {
      const res = await stack.call<Item>(`/v1/items/AAPL`, { key: keys.read });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), [...ITEM_FIELDS].sort());
      assert.equal(res.body.symbol, 'AAPL');
      assert.equal(res.body.sector, 'Information Technology');
      assert.equal(res.body.active, true);
      assert.match(res.body.firstBarDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
      assert.match(res.body.lastBarDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
    });

    it('looks symbols up case-insensitively', async () => {
      const res = await stack.call<Item>(`/v1/items/aapl`, { key: keys.read });
      assert.equal(res.status, 200);
      assert.equal(res.body.symbol, 'AAPL');
    });

    it('answers an unknown symbol with a 404 problem', async () => {
      assertProblem(await stack.call(`/v1/items/ZZNOSUCH`, { key: keys.read }), 404);
    });

    it('answers a symbol longer than the router accepts with problem+json too', async () => {
      const res = await stack.call(`/v1/items/${'A'.repeat(150)}`, { key: keys.read });
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assertProblem(res, res.status);
      assert.ok(res.headers.get('x-request-id'));
    });
  });

  describe('request ids', () => {
    it('echoes the X-Request-Id the client sent', async () => {
      const res = await stack.call(`/v1/items/AAPL`, {
        key: keys.read,
        headers: { 'X-Request-Id': 'e2e-trace-42' },
      });
      assert.equal(res.headers.get('x-request-id'), 'e2e-trace-42');
    });

    it('generates a request id when the client sends none, also on errors', async () => {
      const ok = await stack.call(`/v1/items/AAPL`, { key: keys.read });
      const err = await stack.call(`/v1/items`);
      assert.match(ok.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.match(err.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.notEqual(ok.headers.get('x-request-id'), err.headers.get('x-request-id'));
    });

    it('replaces a request id that could forge log lines', async () => {
      const res = await stack.call(`/v1/items/AAPL`, {
        key: keys.read,
        headers: { 'X-Request-Id': 'a b "c"' },
      });
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });
});
