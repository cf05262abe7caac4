import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Meta, PredictionBatch } from './support/api-types.js';
import { cli } from './support/cli.js';
import { waitFor } from './support/e2e.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

const PREDICT_PER_WINDOW = 10;

/** Issue 11, limits by cost: partners' own limits, per-text batches, usage in `keys list`, logs. */
describe('credential limits and usage', () => {
  const stack = useStack({
    api: {
      RATE_LIMIT_PREDICT: String(PREDICT_PER_WINDOW),
      CREDENTIAL_USAGE_FLUSH_SECONDS: '1',
      LOG_LEVEL: 'info',
    },
    keys: { predictor: 'read,predict' },
  });
  const items = (key: string) => stack.call('/v1/items?limit=1', { key });
  const batch = (key: string, size: number) =>
    stack.call<PredictionBatch>('/v1/predict/batch', {
      method: 'POST',
      key,
      json: { texts: Array.from({ length: size }, (_, i) => `Shares rose ${i} percent`) },
    });

  it('gives a partner key created with --limit its own budget; other keys keep the default', async () => {
    const created = await cli(
      ...['keys', 'create', '--name', 'e2e-partner', '--scopes', 'read,predict'],
      ...['--limit', 'itemsRead=3', '--limit', 'predict=40'],
    );
    assert.equal(created.code, 0, created.stderr);
    const partner = created.stdout.trim();

    const meta = await stack.call<Meta>('/v1/meta', { key: partner });
    assert.equal(meta.status, 200);
    const limitOf = (bucket: string) => meta.body.limits.buckets.find((b) => b.bucket === bucket);
    assert.equal(limitOf('predict')?.limit, 40);
    assert.equal(
      limitOf('scansCreate')?.limit,
      20,
      'buckets it does not override keep the default',
    );

    for (let i = 0; i < 2; i++) {
      const res = await items(partner);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ratelimit-limit'), '3');
    }
    assertProblem(await items(partner), 429);
    const other = await items(stack.keys.predictor);
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('x-ratelimit-limit'), '600');

    const listed = await cli('keys', 'list');
    assert.match(
      listed.stdout,
      new RegExp(`^${partner.slice(4, 12)}\\t.*\\tlimits itemsRead=3,predict=40$`, 'm'),
    );
  });

  it('refuses an unknown bucket or a bad number in --limit and creates no key', async () => {
    for (const limit of ['wsConnect=5', 'scansCreate=0', 'scansCreate', 'nope=3']) {
      const res = await cli(
        ...['keys', 'create', '--name', 'e2e-bad-limit', '--scopes', 'read', '--limit', limit],
      );
      assert.notEqual(res.code, 0, limit);
      assert.match(res.stderr, /--limit must be bucket=n with a bucket of itemsRead,/);
      assert.equal(res.stdout, '');
    }
    assert.deepEqual(
      await stack.ds.query(`SELECT 1 FROM api_keys WHERE name = 'e2e-bad-limit'`),
      [],
    );
  });

  it('spends one predict unit per text; a batch larger than what remains is refused whole and spends nothing', async () => {
    const key = await stack.createKey('read,predict', 'batches');
    const four = await batch(key, 4);
    assert.equal(four.status, 200);
    assert.equal(four.headers.get('x-ratelimit-remaining'), String(PREDICT_PER_WINDOW - 4));

    const seven = await batch(key, 7);
    assertProblem(seven, 429);
    assert.match(seven.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(seven.body.detail, /costs 7 units .* 6 of 10 remain/);

    const six = await batch(key, 6);
    assert.equal(six.status, 200, 'the refused batch gave every unit back');
    assert.equal(six.body.results.length, 6);
    assertProblem(await batch(key, 1), 429);
  });

  it('keys list shows last used and requests today, and each request log line names the credential, never the secret', async () => {
    const key = await stack.createKey('read', 'usage');
    const prefix = key.slice(4, 12);
    const line = async () =>
      (await cli('keys', 'list')).stdout.split('\n').find((l) => l.startsWith(`${prefix}\t`));
    assert.match((await line()) ?? '', /\tcreated \S+Z\tlast used never\ttoday 0$/);

    for (let i = 0; i < 5; i++) assert.equal((await items(key)).status, 200);
    // The api writes usage once per CREDENTIAL_USAGE_FLUSH_SECONDS (1 s here, a minute by default).
    await waitFor(
      async () => /\ttoday 5$/.test((await line()) ?? ''),
      15_000,
      'usage of 5 requests',
    );
    assert.match((await line()) ?? '', /\tlast used 20\d\d-\d\d-\d\dT[\d:.]+Z\ttoday 5$/);

    const logged = stack.api
      .output()
      .split('\n')
      .filter((l) => l.includes(`"credential":"msk_${prefix}"`));
    assert.ok(logged.length >= 5, `5 request lines name msk_${prefix}:\n${logged.join('\n')}`);
    assert.ok(!stack.api.output().includes(key.slice(13)), 'the secret never reaches the log');
  });
});
