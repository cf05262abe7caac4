import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ApnsClient, ProviderToken, PushDailyCap, TOKEN_REFRESH_MS, type Push } from '#apns';
import { testConfig } from './support/e2e.js';
import {
  FAKE_BUNDLE_ID,
  FAKE_KEY_ID,
  FAKE_TEAM_ID,
  startFakeApns,
  type FakeApns,
} from './support/fake-apns.js';

const device = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const push = (deviceToken: string, extra: Partial<Push> = {}): Push => ({
  deviceToken,
  environment: 'production',
  title: 'Tech longs',
  body: 'NVDA entered at #3 (Strong Long)',
  collapseId: '4f1c2b8e-3d6a-4e0b-9c7f-1a2b3c4d5e6f',
  custom: { watchId: '4f1c2b8e-3d6a-4e0b-9c7f-1a2b3c4d5e6f', alertIds: ['17'] },
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
  ...extra,
});

describe('APNs client against the local HTTP/2 fake', () => {
  let dir: string;
  let fake: FakeApns;
  let now = Date.now();
  let token: ProviderToken;
  /** Waits the client asked for between attempts (no real waiting: the sleep is injected). */
  const waits: number[] = [];
  let client: ApnsClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fake-apns-'));
    fake = await startFakeApns(dir);
    token = await ProviderToken.create(
      { teamId: FAKE_TEAM_ID, keyId: FAKE_KEY_ID, keyPem: fake.keyPem },
      () => now,
    );
    client = new ApnsClient({
      bundleId: FAKE_BUNDLE_ID,
      urls: fake.urls,
      ca: fake.ca,
      token,
      maxAttempts: 4,
      retryBaseMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
  });
  after(async () => {
    await client?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends an alert push the fake accepts: verified ES256 token, headers and payload', async () => {
    const outcome = await client.send(push(device(1)));
    assert.equal(outcome.kind, 'sent');
    assert.deepEqual(fake.violations, []);
    const [seen] = fake.pushes.slice(-1);
    assert.equal(seen!.environment, 'production');
    assert.equal(seen!.headers['apns-topic'], FAKE_BUNDLE_ID);
    assert.equal(seen!.headers['apns-push-type'], 'alert');
    assert.equal(seen!.headers['apns-priority'], '10');
    assert.equal(seen!.headers['apns-collapse-id'], '4f1c2b8e-3d6a-4e0b-9c7f-1a2b3c4d5e6f');
    assert.deepEqual(seen!.payload.aps.alert, {
      title: 'Tech longs',
      body: 'NVDA entered at #3 (Strong Long)',
    });
    assert.deepEqual(seen!.payload['alertIds'], ['17']);
  });

  it('sends a sandbox token to the sandbox URL', async () => {
    assert.equal((await client.send(push(device(2), { environment: 'sandbox' }))).kind, 'sent');
    assert.equal(fake.pushes.at(-1)!.environment, 'sandbox');
  });

  it('reuses one provider token across pushes and signs a new one after 50 minutes', async () => {
    const before = token.signedCount;
    await client.send(push(device(3)));
    await client.send(push(device(3)));
    const [a, b] = fake.pushes.slice(-2);
    assert.equal(a!.jwt, b!.jwt);
    assert.equal(token.signedCount, before);
    now += TOKEN_REFRESH_MS;
    await client.send(push(device(3)));
    const refreshed = fake.pushes.at(-1)!;
    assert.notEqual(refreshed.jwt, b!.jwt);
    assert.equal(refreshed.iat, Math.floor(now / 1000));
    assert.equal(token.signedCount, before + 1);
    assert.deepEqual(fake.violations, [], 'the fake verified the new token too');
  });

  it('answers 410 Unregistered and 400 BadDeviceToken as a dead token, without retrying', async () => {
    fake.unregister(device(4));
    const sent = fake.pushes.length;
    assert.deepEqual(await client.send(push(device(4))), {
      kind: 'dead-token',
      status: 410,
      reason: 'Unregistered',
      attempts: 1,
    });
    fake.cue(device(5), { status: 400 });
    assert.equal((await client.send(push(device(5)))).kind, 'dead-token');
    assert.equal(fake.pushes.length, sent + 2);
  });

  it('answers another 400 as rejected, without retrying', async () => {
    fake.cue(device(6), { status: 400, reason: 'BadCollapseId' });
    assert.deepEqual(await client.send(push(device(6))), {
      kind: 'rejected',
      status: 400,
      reason: 'BadCollapseId',
      attempts: 1,
    });
  });

  it('retries 429 and 500 with growing backoff, honours Retry-After, then succeeds', async () => {
    waits.length = 0;
    fake.cue(device(7), { status: 429, retryAfterSeconds: 2 }, { status: 500 }, { status: 503 });
    const outcome = await client.send(push(device(7)));
    assert.equal(outcome.kind, 'sent');
    assert.equal(outcome.attempts, 4);
    assert.equal(waits[0], 2000, 'Retry-After: 2 waits 2 s');
    // Full jitter: attempt n waits at most retryBaseMs·2^(n-1).
    assert.ok(waits[1]! <= 200 && waits[2]! <= 400, `backoff ${waits.join(', ')}`);
    assert.equal(fake.pushes.filter((p) => p.deviceToken === device(7)).length, 4);
  });

  it('gives up as failed after maxAttempts of 500', async () => {
    fake.cue(device(8), ...Array.from({ length: 5 }, () => ({ status: 500 as const })));
    const outcome = await client.send(push(device(8)));
    assert.deepEqual(outcome, {
      kind: 'failed',
      status: 500,
      reason: 'InternalServerError',
      attempts: 4,
    });
    assert.equal(fake.pushes.filter((p) => p.deviceToken === device(8)).length, 4);
  });

  it('ends as failed at once when Retry-After asks for longer than it may wait', async () => {
    fake.cue(device(9), { status: 429, retryAfterSeconds: 3600 });
    const outcome = await client.send(push(device(9)));
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.attempts, 1);
  });

  it('is refused by the fake when the token is signed with another key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const forged = new ApnsClient({
      bundleId: FAKE_BUNDLE_ID,
      urls: fake.urls,
      ca: fake.ca,
      token: await ProviderToken.create({
        teamId: FAKE_TEAM_ID,
        keyId: FAKE_KEY_ID,
        keyPem: other,
      }),
      maxAttempts: 1,
      retryBaseMs: 1,
    });
    try {
      assert.deepEqual(await forged.send(push(device(10))), {
        kind: 'rejected',
        status: 403,
        reason: 'InvalidProviderToken',
        attempts: 1,
      });
      assert.ok(fake.violations.includes('403 InvalidProviderToken'));
    } finally {
      await forged.close();
    }
  });

  it('re-signs after ExpiredProviderToken once the token is 20 minutes old, and sends', async () => {
    now += 25 * 60_000;
    const signed = token.signedCount;
    fake.cue(device(11), { status: 403, reason: 'ExpiredProviderToken' });
    const outcome = await client.send(push(device(11)));
    assert.equal(outcome.kind, 'sent');
    assert.equal(token.signedCount, signed + 1);
  });
});

describe('PushDailyCap (Redis)', () => {
  let redis: Redis;
  before(() => {
    redis = new Redis(testConfig().redisUrl);
  });
  after(() => redis?.disconnect());

  it('lets exactly N pushes per installation per day through, however many callers race', async () => {
    const prefix = `test:apns-cap:${process.pid}`;
    // Two "workers": two connections sharing the count.
    const other = new Redis(testConfig().redisUrl);
    try {
      const caps = [new PushDailyCap(redis, 5, prefix), new PushDailyCap(other, 5, prefix)];
      const day = new Date('2026-12-07T12:00:00Z');
      const taken = await Promise.all(
        Array.from({ length: 40 }, (_, i) => caps[i % 2]!.take('inst-1', day)),
      );
      assert.equal(taken.filter(Boolean).length, 5);
      assert.equal(await caps[0]!.take('inst-2', day), true, 'another installation has its own');
      assert.equal(
        await caps[0]!.take('inst-1', new Date('2026-12-08T00:00:01Z')),
        true,
        'a new UTC day starts a new count',
      );
      await caps[1]!.giveBack('inst-1', day);
      assert.equal(await caps[0]!.take('inst-1', day), true, 'a unit given back can be taken');
      assert.equal(await caps[0]!.take('inst-1', day), false);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      other.disconnect();
    }
  });
});
