import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { testConfig } from './support/e2e.js';
import { stopWithin } from './support/fixtures.js';
import { useStack } from './support/stack.js';
import { openSocket } from './support/ws.js';

/** `msk_<8-character prefix>_<43-character secret>`: both parts are base64url and may hold `_` themselves. */
const secretOf = (key: string): string => {
  const match = /^msk_[A-Za-z0-9_-]{8}_([A-Za-z0-9_-]{43})$/.exec(key);
  assert.ok(match, `not an API key: ${key}`);
  return match[1]!;
};

/**
 * Every run of `length` characters of `secret`: 12 base64url characters are 72 random bits, which
 * no log holds by chance, so finding one means part of the secret was logged.
 */
const fragments = (secret: string, length = 12): string[] =>
  Array.from({ length: secret.length - length + 1 }, (_, i) => secret.slice(i, i + length));

/**
 * RELIABILITY "Input and secrets: secrets in logs" (iamolegga/nestjs-pino#2168) and "Queue: Redis
 * memory growth / eviction / restart" — the Redis our scripts provision is the one BullMQ needs.
 */
describe('secrets stay out of the logs', () => {
  // info: every request is logged with its headers and URL.
  const stack = useStack({ api: { LOG_LEVEL: 'info' }, keys: { key: 'read,scan' } });
  const forged = 'msk_notakey0_thisIsASecretThatMustNeverBeLogged0123456789';

  it('logs requests without the API key of X-API-Key, Authorization, ?apiKey= or a refused key', async () => {
    const { api, keys } = stack;
    const key = keys.key;
    assert.equal((await stack.call('/v1/items?limit=1', { key })).status, 200);
    assert.equal(
      (await stack.call('/v1/items?limit=2', { headers: { Authorization: `Bearer ${key}` } }))
        .status,
      200,
    );
    // ?apiKey= is for browsers' WebSockets only; on REST it is an unknown parameter (400), still logged.
    assert.equal((await stack.call(`/v1/items?limit=3&apiKey=${key}`, { key })).status, 400);
    assert.equal((await stack.call('/v1/items?limit=4', { key: forged })).status, 401);
    // The app decodes parameter names (`%61piKey` is `apiKey`): so must the redaction.
    for (const [limit, name] of [
      [5, '%61piKey'],
      [6, 'api%4Bey'],
      [7, 'APIKEY'],
    ] as const)
      assert.equal(
        (await stack.call(`/v1/items?limit=${limit}&${name}=${key}`, { key })).status,
        400,
      );
    const encoded = await openSocket(`${stack.wsUrl}?%61piKey=${key}`);
    encoded.socket.close();
    const ws = await openSocket(`${stack.wsUrl}?apiKey=${key}`);
    ws.socket.close();
    await stopWithin(api, 10_000);

    const log = api.output();
    for (const limit of [1, 2, 3, 4, 5, 6, 7])
      assert.match(log, new RegExp(`limit=${limit}`), `request ${limit} was logged`);
    assert.ok(!log.includes(key), 'the API key appears in the log');
    const leaked = fragments(secretOf(key)).filter((part) => log.includes(part));
    assert.deepEqual(leaked, [], 'part of the secret of the key appears in the log');
    assert.ok(!log.includes(forged), 'a refused key appears in the log');
    assert.deepEqual(
      fragments(forged.slice('msk_notakey0_'.length)).filter((part) => log.includes(part)),
      [],
      'part of a refused key appears in the log',
    );
    assert.match(log, /\[Redacted\]/);
    const password = new URL(testConfig().databaseUrl).password;
    if (password.length >= 6)
      assert.ok(!log.includes(password), 'the database password appears in the log');
  });
});

describe('the Redis that npm start / npm test provision', () => {
  it('is configured as BullMQ needs: noeviction, AOF with fsync every second', async () => {
    const redis = new Redis(testConfig().redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const get = async (name: string) => ((await redis.config('GET', name)) as string[])[1];
      assert.equal(await get('maxmemory-policy'), 'noeviction');
      assert.equal(await get('appendonly'), 'yes');
      assert.equal(await get('appendfsync'), 'everysec');
    } finally {
      redis.disconnect();
    }
  });
});
