import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Meta, OpenApiDocument } from './support/api-types.js';
import { IMPORTED_ITEMS } from './support/fixtures.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

describe('GET /v1/meta', () => {
  const stack = useStack({
    api: { RATE_LIMIT_SCANS_CREATE: '7' },
    keys: { read: 'read', scanner: 'read,scan', predict: 'predict' },
  });
  const meta = (key: string, headers: Record<string, string> = {}) =>
    stack.call<Meta>('/v1/meta', { key, headers });

  it('describes the data, sectors, profiles and signal thresholds', async () => {
    const res = await meta(stack.keys.read);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { data, sectors, profiles, signalThresholds } = res.body;
    const [range] = (await stack.ds.query(
      `SELECT to_char(min(date), 'YYYY-MM-DD') AS first, to_char(max(date), 'YYYY-MM-DD') AS last FROM price_bars`,
    )) as { first: string; last: string }[];
    const [version] = (await stack.ds.query(
      'SELECT id, source FROM data_versions ORDER BY id DESC LIMIT 1',
    )) as { id: number; source: string }[];
    assert.equal(data.firstBarDate, range!.first);
    assert.equal(data.lastBarDate, range!.last);
    assert.equal(data.version, version!.id);
    assert.equal(data.source, version!.source);
    assert.ok(data.refreshedAt && !Number.isNaN(Date.parse(data.refreshedAt)));

    const tech = sectors.find((s) => s.name === 'Information Technology')!;
    assert.ok(tech.aliases.includes('technology'));
    assert.equal(
      sectors.reduce((a, s) => a + s.instruments, 0),
      IMPORTED_ITEMS,
      'every active instrument in one sector',
    );
    assert.deepEqual(
      profiles.map((p) => [
        p.name,
        p.minPrice,
        p.maxAtrPct,
        p.minAvgDollarVolume,
        p.minTechRating,
        p.default,
      ]),
      [
        ['conservative', 15, 2.5, 10e6, 65, false],
        ['balanced', 10, 3.5, 5e6, 55, true],
        ['aggressive', 5, 6, 3e6, 45, false],
      ],
    );
    assert.deepEqual(signalThresholds, { strongLong: 75, long: 60, short: 40, strongShort: 25 });
  });

  it("shows the caller's configured limits and what remains, without spending the scan budget", async () => {
    const first = await meta(stack.keys.scanner);
    const scans = () => first.body.limits.buckets.find((b) => b.bucket === 'scansCreate')!;
    assert.equal(first.body.limits.windowSeconds, 60);
    assert.equal(scans().limit, 7);
    assert.equal(scans().remaining, 7);
    const items = first.body.limits.buckets.find((b) => b.bucket === 'itemsRead')!;
    // This request itself counts against the items-read budget.
    assert.equal(items.remaining, items.limit - 1);
    assert.ok(items.resetSeconds! > 0 && items.resetSeconds! <= 60);

    const after = await meta(stack.keys.scanner);
    const unspent = after.body.limits.buckets.find((b) => b.bucket === 'scansCreate')!;
    assert.equal(unspent.remaining, 7, 'reading the limits spends none of them');
    const read = after.body.limits.buckets.find((b) => b.bucket === 'itemsRead')!;
    assert.equal(read.remaining, items.limit - 2);
  });

  it('answers 304 to If-None-Match with its ETag while only what remains has changed', async () => {
    const first = await meta(stack.keys.read);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.match(first.headers.get('cache-control') ?? '', /no-cache/);
    const again = await meta(stack.keys.read, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    assert.equal((await meta(stack.keys.read, { 'If-None-Match': '"other"' })).status, 200);
  });

  it('needs the read scope', async () => {
    assertProblem(await meta(stack.keys.predict), 403);
    assertProblem(await stack.call('/v1/meta'), 401);
  });

  it('is in the OpenAPI document, with the bars and scan-history routes', async () => {
    const doc = await stack.call<OpenApiDocument>('/docs-json');
    assert.equal(doc.status, 200);
    for (const path of ['/v1/meta', '/v1/items/{symbol}/bars', '/v1/scans'])
      assert.ok(doc.body.paths[path]?.get, `GET ${path} documented`);
  });
});
