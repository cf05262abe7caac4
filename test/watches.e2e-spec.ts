import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchDetailDto, WatchListDto } from '../apps/api/watches/watches.dto.js';
import { DEFAULT_SCAN_REQUEST } from './support/fixtures.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';
import { installationToken } from './support/watches.js';

const PER_INSTALLATION = 3;
const WRITES_PER_WINDOW = 40;

describe('watches (CRUD, validation, limits)', () => {
  const stack = useStack({
    api: {
      WATCHES_PER_INSTALLATION: String(PER_INSTALLATION),
      RATE_LIMIT_WATCHES_WRITE: String(WRITES_PER_WINDOW),
    },
    keys: { server: 'read,scan' },
  });
  const create = (token: string, json: unknown) =>
    stack.call<WatchDetailDto>('/v1/watches', { method: 'POST', key: token, json });

  it('creates, lists, reads, changes and deletes a watch of one installation only', async () => {
    const a = await installationToken(stack, 'watches-a');
    const b = await installationToken(stack, 'watches-b');
    const made = await create(a, { name: 'Tech longs', request: { sectors: ['technology'] } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(made.body.request, {
      ...DEFAULT_SCAN_REQUEST,
      sectors: ['Information Technology'],
    });
    assert.deepEqual(made.body.notify, { topN: 10, on: ['enter', 'exit', 'signalChange'] });
    assert.equal(made.body.lastResult, null, 'no evaluation yet');
    const id = made.body.id;

    const listed = await stack.call<WatchListDto>('/v1/watches', { key: a });
    assert.deepEqual(
      listed.body.data.map((w) => w.id),
      [id],
    );
    assert.equal(listed.body.limit, PER_INSTALLATION);
    assert.deepEqual((await stack.call<WatchListDto>('/v1/watches', { key: b })).body.data, []);

    // Another installation's watch is not found, whatever it tries.
    for (const method of ['GET', 'PATCH', 'DELETE'])
      assertProblem(
        await stack.call(`/v1/watches/${id}`, {
          method,
          key: b,
          ...(method === 'PATCH' ? { json: { name: 'x' } } : {}),
        }),
        404,
      );
    assertProblem(await stack.call('/v1/watches/not-a-uuid', { key: a }), 404);

    const patched = await stack.call<WatchDetailDto>(`/v1/watches/${id}`, {
      method: 'PATCH',
      key: a,
      json: { name: 'Renamed', notify: { topN: 5, on: ['enter'] } },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.name, 'Renamed');
    assert.deepEqual(patched.body.notify, { topN: 5, on: ['enter'] });
    const got = await stack.call<WatchDetailDto>(`/v1/watches/${id}`, { key: a });
    assert.equal(got.body.name, 'Renamed');

    assert.equal((await stack.call(`/v1/watches/${id}`, { method: 'DELETE', key: a })).status, 204);
    assertProblem(await stack.call(`/v1/watches/${id}`, { key: a }), 404);
  });

  it('refuses bad input with problem+json naming the field, as a scan body is refused', async () => {
    const token = await installationToken(stack, 'watches-bad');
    const cases: [unknown, string][] = [
      [{ request: {} }, 'name'],
      [{ name: '', request: {} }, 'name'],
      [{ name: 'x'.repeat(101), request: {} }, 'name'],
      [{ name: 'n' }, 'request'],
      [{ name: 'n', request: 'AAPL' }, 'request'],
      [{ name: 'n', request: { maxSymbols: 0 } }, 'request.maxSymbols'],
      [{ name: 'n', request: { sectors: ['tech', 'nowhere'] } }, 'request.sectors[1]'],
      [{ name: 'n', request: { symbols: ['ZZNOPE'] } }, 'request.symbols[0]'],
      [{ name: 'n', request: { asOf: '2016-06-30' } }, 'request.asOf'],
      [{ name: 'n', request: { colour: 'red' } }, 'request.colour'],
      [{ name: 'n', request: {}, notify: { topN: 0 } }, 'notify.topN'],
      [{ name: 'n', request: {}, notify: { topN: 51 } }, 'notify.topN'],
      [{ name: 'n', request: {}, notify: { on: ['sometimes'] } }, 'notify.on[0]'],
      [{ name: 'n', request: {}, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await create(token, body);
      assertProblem(res, 400);
      assert.ok(
        res.body.errors?.some((e) => e.field === field),
        `${JSON.stringify(body)} → ${JSON.stringify(res.body.errors)} should name ${field}`,
      );
    }
    const malformed = await stack.call('/v1/watches', {
      method: 'POST',
      key: token,
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    assertProblem(malformed, 400);
    assertProblem(
      await stack.call('/v1/watches/00000000-0000-4000-8000-000000000000', {
        method: 'PATCH',
        key: token,
        json: { request: { maxSymbols: 'many' } },
      }),
      400,
    );
  });

  it('is for installations: an API key gets 403 on every route', async () => {
    const key = stack.keys.server;
    assertProblem(await create(key, { name: 'n', request: {} }), 403);
    assertProblem(await stack.call('/v1/watches', { key }), 403);
    assertProblem(await stack.call('/v1/alerts', { key }), 403);
  });

  it('keeps at most WATCHES_PER_INSTALLATION watches per installation (409 beyond), then rate-limits writes', async () => {
    const token = await installationToken(stack, 'watches-limit');
    for (let i = 0; i < PER_INSTALLATION; i++)
      assert.equal(
        (await create(token, { name: `w${i}`, request: { maxSymbols: 10 + i } })).status,
        201,
      );
    assertProblem(await create(token, { name: 'one more', request: {} }), 409);
    // Another installation has its own bound.
    const other = await installationToken(stack, 'watches-limit-2');
    assert.equal((await create(other, { name: 'mine', request: {} })).status, 201);

    let limited = null;
    for (let i = 0; i < WRITES_PER_WINDOW + 1 && !limited; i++) {
      const res = await create(token, { name: 'again', request: {} });
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, 'a write beyond the window budget is refused');
    assertProblem(limited, 429);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
  });

  it('lists alerts with bad parameters refused', async () => {
    const token = await installationToken(stack, 'alerts-params');
    const page = await stack.call<{ data: unknown[]; nextCursor: string | null }>('/v1/alerts', {
      key: token,
    });
    assert.equal(page.status, 200);
    assert.deepEqual(page.body, { data: [], nextCursor: null });
    for (const query of [
      'limit=0',
      'limit=201',
      'cursor=abc',
      'cursor=-1',
      'since=yesterday',
      'since=2026-12-07T00:00:00',
      'colour=red',
    ])
      assertProblem(await stack.call(`/v1/alerts?${query}`, { key: token }), 400);
  });
});
