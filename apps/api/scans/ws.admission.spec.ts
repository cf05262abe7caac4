import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { AppConfig } from '#config';
import { GUESS_REFUSED, type ApiKeyService, type Principal } from '../auth/api-key.service.js';
import { ProblemException } from '../http/problem.js';
import type { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { WsAdmission } from './ws.admission.js';

const VALID_KEY = 'msk_AAAAAAAA_valid';
const scanner: Principal = { keyId: 'k-scan', name: 'scanner', scopes: ['read', 'scan'] };
const reader: Principal = { keyId: 'k-read', name: 'reader', scopes: ['read'] };
const admin: Principal = { keyId: 'k-admin', name: 'admin', scopes: ['admin'] };

const config = {
  api: { trustProxy: ['127.0.0.0/8', '::1/128'] },
  ws: { maxConnectionsPerIp: 2 },
  rateLimits: {
    windowSeconds: 60,
    perWindow: { wsConnect: 30, scansCreate: 20, authFailures: 60 },
  },
} as unknown as AppConfig;

/** A counter store that is over budget for the keys in `blocked`, and remembers every call. */
function fakeLimits(blocked: Record<string, number> = {}, hits: Record<string, number> = {}) {
  const calls: [key: string, ttl: number, limit: number][] = [];
  const limits = {
    incrementBy: async (
      key: string,
      ttl: number,
      limit: number,
    ): Promise<ThrottlerStorageRecord> => {
      calls.push([key, ttl, limit]);
      const wait = blocked[key];
      return {
        totalHits: wait ? limit + 1 : 1,
        timeToExpire: wait ?? 60,
        isBlocked: wait !== undefined,
        timeToBlockExpire: wait ?? 0,
      };
    },
    hits: async (key: string) => hits[key] ?? 0,
  } satisfies Partial<RedisThrottlerStorage>;
  return { calls, limits: limits as unknown as RedisThrottlerStorage };
}

const keys = {
  authenticate: async (key: string) => (key === VALID_KEY ? scanner : null),
} satisfies Partial<ApiKeyService> as unknown as ApiKeyService;

const upgrade = (
  headers: Record<string, string> = {},
  url = '/v1/ws',
  remoteAddress = '203.0.113.7',
) => ({ headers, url, socket: { remoteAddress } }) as unknown as IncomingMessage;

const refusalOf = (decision: Awaited<ReturnType<WsAdmission['admitUpgrade']>>) =>
  'refusal' in decision ? decision.refusal : null;
/** Status and detail of the problem+json a ProblemException answers with. */
const problemOf = (error: unknown) =>
  error instanceof ProblemException
    ? { status: error.getStatus(), detail: (error.getResponse() as { detail: string }).detail }
    : error;

describe('WsAdmission.admitUpgrade', () => {
  it('refuses an upgrade without a key with 401', async () => {
    const admission = new WsAdmission(config, keys, fakeLimits().limits);
    assert.deepEqual(refusalOf(await admission.admitUpgrade(upgrade())), {
      code: 401,
      message: 'Missing or invalid API key: send it in the X-API-Key header',
    });
  });

  it('refuses an unknown or revoked key with the same 401', async () => {
    const admission = new WsAdmission(config, keys, fakeLimits().limits);
    assert.equal(
      refusalOf(await admission.admitUpgrade(upgrade({ 'x-api-key': 'msk_AAAAAAAA_other' })))?.code,
      401,
    );
  });

  it('admits a valid key from the header or from ?apiKey=, with the client address', async () => {
    const admission = new WsAdmission(config, keys, fakeLimits().limits);
    assert.deepEqual(await admission.admitUpgrade(upgrade({ 'x-api-key': VALID_KEY })), {
      principal: scanner,
      ip: '203.0.113.7',
      credential: VALID_KEY,
    });
    assert.deepEqual(await admission.admitUpgrade(upgrade({}, `/v1/ws?apiKey=${VALID_KEY}`)), {
      principal: scanner,
      ip: '203.0.113.7',
      credential: VALID_KEY,
    });
  });

  it('takes the address from X-Forwarded-For only behind a loopback proxy', async () => {
    const admission = new WsAdmission(config, keys, fakeLimits().limits);
    const behindNginx = upgrade(
      { 'x-api-key': VALID_KEY, 'x-forwarded-for': '198.51.100.4' },
      '/v1/ws',
      '127.0.0.1',
    );
    assert.deepEqual(await admission.admitUpgrade(behindNginx), {
      principal: scanner,
      ip: '198.51.100.4',
      credential: VALID_KEY,
    });
    const spoofed = upgrade({ 'x-api-key': VALID_KEY, 'x-forwarded-for': '198.51.100.4' });
    assert.deepEqual(await admission.admitUpgrade(spoofed), {
      principal: scanner,
      ip: '203.0.113.7',
      credential: VALID_KEY,
    });
  });

  it('counts connects per credential once it is checked: 429 and Retry-After when they are spent', async () => {
    const { limits, calls } = fakeLimits({ 'wsConnect:key:k-scan': 17 });
    const admission = new WsAdmission(config, keys, limits);
    assert.deepEqual(refusalOf(await admission.admitUpgrade(upgrade({ 'x-api-key': VALID_KEY }))), {
      code: 429,
      message: 'WebSocket connect rate limit exceeded; retry later',
      retryAfter: 17,
    });
    assert.deepEqual(calls, [['wsConnect:key:k-scan', 60_000, 30]], 'nothing spent per address');
  });

  it('counts upgrades without a key against their address, 429 once it spent its budget', async () => {
    const { limits, calls } = fakeLimits({ 'wsConnect:ip:203.0.113.7': 9 });
    const admission = new WsAdmission(config, keys, limits);
    assert.deepEqual(refusalOf(await admission.admitUpgrade(upgrade())), {
      code: 429,
      message: 'Too many refused upgrades from this address; retry later',
      retryAfter: 9,
    });
    assert.deepEqual(calls, [['wsConnect:ip:203.0.113.7', 60_000, 30]]);
    assert.ok(
      'principal' in (await admission.admitUpgrade(upgrade({ 'x-api-key': VALID_KEY }))),
      'a valid key from that address is still admitted',
    );
  });

  it('refuses a possible guess with 429 and no lookup once the address failed too often', async () => {
    const { limits, calls } = fakeLimits({}, { 'authFailures:ip:203.0.113.7': 60 });
    const guessing = {
      authenticate: async (_key: string, mayGuess: () => Promise<boolean>) =>
        (await mayGuess()) ? assert.fail('looked up') : GUESS_REFUSED,
    } as unknown as ApiKeyService;
    const admission = new WsAdmission(config, guessing, limits);
    const decision = await admission.admitUpgrade(upgrade({ 'x-api-key': 'msk_AAAAAAAA_guess' }));
    assert.deepEqual(refusalOf(decision), {
      code: 429,
      message: 'Too many upgrades with an unknown API key from this address',
      retryAfter: 60,
    });
    assert.deepEqual(calls, [], 'a refused guess spends nothing more');
  });

  it('refuses with 429 an address holding its maximum of open connections, without spending a connect', async () => {
    const { limits, calls } = fakeLimits();
    const admission = new WsAdmission(config, keys, limits);
    admission.opened('203.0.113.7');
    admission.opened('203.0.113.7');
    assert.deepEqual(refusalOf(await admission.admitUpgrade(upgrade({ 'x-api-key': VALID_KEY }))), {
      code: 429,
      message: 'Too many open WebSocket connections from this address',
      retryAfter: 5,
    });
    assert.deepEqual(calls, []);
    admission.closed('203.0.113.7');
    assert.ok(
      'principal' in (await admission.admitUpgrade(upgrade({ 'x-api-key': VALID_KEY }))),
      'admitted once one closed',
    );
  });
});

describe('WsAdmission.admitScan', () => {
  it('refuses a key without the scan scope with the 403 of POST /v1/scans', async () => {
    const { limits, calls } = fakeLimits();
    const admission = new WsAdmission(config, keys, limits);
    await assert.rejects(admission.admitScan(reader, '203.0.113.7'), (error) => {
      assert.deepEqual(problemOf(error), {
        status: 403,
        detail: 'This API key lacks the "scan" scope',
      });
      return true;
    });
    assert.deepEqual(calls, [], 'a refused frame spends no budget');
  });

  it("spends the key's scans-create budget, the counter POST /v1/scans spends", async () => {
    const { limits, calls } = fakeLimits();
    const admission = new WsAdmission(config, keys, limits);
    await admission.admitScan(scanner, '203.0.113.7');
    await admission.admitScan(admin, '203.0.113.7');
    assert.deepEqual(calls, [
      ['scansCreate:key:k-scan', 60_000, 20],
      ['scansCreate:key:k-admin', 60_000, 20],
    ]);
  });

  it("counts a partner's scans against its own limit override, as the HTTP route does", async () => {
    const { limits, calls } = fakeLimits();
    const partner: Principal = { ...scanner, keyId: 'k-partner', limits: { scansCreate: 600 } };
    await new WsAdmission(config, keys, limits).admitScan(partner, '203.0.113.7');
    assert.deepEqual(calls, [['scansCreate:key:k-partner', 60_000, 600]]);
  });

  it('refuses with 429 naming the wait once the budget is spent', async () => {
    const admission = new WsAdmission(
      config,
      keys,
      fakeLimits({ 'scansCreate:key:k-scan': 42 }).limits,
    );
    await assert.rejects(admission.admitScan(scanner, '203.0.113.7'), (error) => {
      assert.deepEqual(problemOf(error), {
        status: 429,
        detail: 'Rate limit exceeded; retry in 42 s',
      });
      return true;
    });
  });
});
