import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisServer } from './faults/support/redis-server.js';
import type { Scan } from './support/api-types.js';
import { freePort, waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';

const DISABLED = [
  ['FLUSHALL'],
  ['FLUSHDB'],
  ['CONFIG', 'GET', 'dir'],
  ['CONFIG', 'SET', 'dir', '/tmp'],
  ['KEYS', '*'],
  ['DEBUG', 'SLEEP', '0'],
  ['SHUTDOWN', 'NOSAVE'],
  ['MODULE', 'LIST'],
  ['REPLICAOF', '127.0.0.1', '1'],
  ['SLAVEOF', '127.0.0.1', '1'],
] as const;
const ITEMS_READ_LIMIT = 3;

/** A client of `url` that connects once and reports errors instead of retrying. */
const client = (url: string) =>
  new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });

/** Keys matching `pattern`, by SCAN (KEYS is one of the disabled commands). */
async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/**
 * The Redis a host runs: deploy/redis/configure.sh (what provision.sh calls) writes its
 * configuration and the app's REDIS_URL on scratch files, and a redis-server of this spec's own
 * starts from them — a password, the commands of deploy/redis/hardening.conf disabled. The api and
 * worker then use it through that REDIS_URL: the queue, the scan cache, the rate-limit counters.
 */
describe('the api and worker on a Redis with a password and disabled commands', () => {
  const dir = resolve('.local/e2e-redis-auth');
  let server: RedisServer;
  let url = '';
  let password = '';

  before(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'redis.conf'), '# the distribution file would be here\n');
    writeFileSync(
      join(dir, 'env'),
      "NODE_ENV='production'\nREDIS_URL='redis://127.0.0.1:6379/0'\n",
    );
    const configure = spawnSync('sh', [
      'deploy/redis/configure.sh',
      ...['--main-conf', join(dir, 'redis.conf'), '--secret', join(dir, 'redis-password')],
      ...['--env-file', join(dir, 'env'), '--maxmemory', '64mb'],
    ]);
    assert.equal(configure.status, 0, configure.stderr.toString());
    password = readFileSync(join(dir, 'redis-password'), 'utf8').trim();
    const written = /^REDIS_URL='(.+)'$/m.exec(readFileSync(join(dir, 'env'), 'utf8'))?.[1] ?? '';
    const port = await freePort();
    url = written.replace(':6379/', `:${port}/`);
    server = new RedisServer(port, join(dir, 'data'), {
      configFile: join(dir, 'redis.conf'),
      password,
    });
    await server.start();
  });

  const stack = useStack({
    api: () => ({ REDIS_URL: url, RATE_LIMIT_ITEMS_READ: String(ITEMS_READ_LIMIT) }),
    worker: () => ({ REDIS_URL: url }),
    keys: { scanner: 'read,scan' },
    scans: true,
  });

  after(async () => {
    await server?.stop('shutdown');
    rmSync(dir, { recursive: true, force: true });
  });

  it('was configured by configure.sh: a 64-hex password, root-only, in REDIS_URL and nowhere readable by others', () => {
    assert.match(password, /^[0-9a-f]{64}$/);
    assert.equal(url, `redis://:${password}@127.0.0.1:${server.port}/0`);
    assert.equal(statSync(join(dir, 'redis-password')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'market-scanner.conf')).mode & 0o777, 0o640);
    assert.match(
      readFileSync(join(dir, 'redis.conf'), 'utf8'),
      /^include .*market-scanner\.conf$/m,
    );
  });

  it('refuses a client without the password or with a wrong one', async () => {
    // Plain RESP over TCP, as any client would speak it before authenticating.
    const socket = connect(server.port, '127.0.0.1');
    socket.write('PING\r\nSET e2e:anonymous 1\r\n');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await waitFor(() => answer.split('\r\n').length > 2, 5_000, 'two answers');
    socket.destroy();
    assert.deepEqual(answer.split('\r\n').slice(0, 2), [
      '-NOAUTH Authentication required.',
      '-NOAUTH Authentication required.',
    ]);

    const wrong = client(url.replace(password, 'f'.repeat(64)));
    const errors: string[] = [];
    wrong.on('error', (error: Error) => errors.push(error.message));
    try {
      // ioredis closes the connection on a refused AUTH and reports why as an error event.
      await assert.rejects(wrong.connect());
      assert.match(errors.join('\n'), /WRONGPASS/);
    } finally {
      wrong.disconnect();
    }
  });

  it('answers the dangerous commands "unknown command" even with the password', async () => {
    const redis = client(url);
    await redis.connect();
    try {
      await redis.set('e2e:canary', '1');
      for (const [command, ...args] of DISABLED)
        await assert.rejects(redis.call(command, ...args), /ERR unknown command/i, command);
      assert.equal(await redis.get('e2e:canary'), '1', 'nothing was flushed');
      assert.match(await redis.info('memory'), /maxmemory_policy:noeviction/);
      assert.match(await redis.info('persistence'), /aof_enabled:1/);
    } finally {
      await redis.del('e2e:canary');
      redis.disconnect();
    }
  });

  it('runs a scan through it (queue, worker, events), answers the repeat from its cache, and is ready', async () => {
    const body = { maxSymbols: 5, accountSize: 10_000 + (Date.now() % 90_000) };
    const first = await stack.call<Scan>('/v1/scans?wait=30', {
      method: 'POST',
      key: stack.keys.scanner,
      json: body,
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.status, 'completed');
    assert.equal(first.body.cached, false, 'it ran on the worker');
    assert.equal(first.body.result?.results.length, 5);
    const again = await stack.call<Scan>('/v1/scans', {
      method: 'POST',
      key: stack.keys.scanner,
      json: body,
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.cached, true);
    const ready = await stack.call('/health/ready');
    assert.deepEqual(ready.body, { status: 'ok', checks: { database: 'up', redis: 'up' } });

    const redis = client(url);
    await redis.connect();
    try {
      assert.ok((await scanKeys(redis, 'bull:*')).length > 0, 'the queue lives here');
      assert.ok((await scanKeys(redis, 'scan:cache:*')).length > 0, 'so does the scan cache');
    } finally {
      redis.disconnect();
    }
  });

  it('counts the rate limits in it: the request past the limit is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= ITEMS_READ_LIMIT; i++)
      statuses.push((await stack.call('/v1/items?limit=1', { key: stack.keys.scanner })).status);
    assert.deepEqual(statuses, [...Array(ITEMS_READ_LIMIT).fill(200), 429]);
    const redis = client(url);
    await redis.connect();
    try {
      assert.ok((await scanKeys(redis, 'ratelimit:*')).length > 0, 'the counters live here');
    } finally {
      redis.disconnect();
    }
  });
});
