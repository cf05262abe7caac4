import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiKeyScope, InstallationEntity } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException, RetryLaterException } from '../http/problem.js';
import { InstallationsService, type InstallationStore } from './installations.service.js';

const appKey: Principal = {
  keyId: 'a0000000-0000-4000-8000-000000000001',
  name: 'ios-app',
  scopes: ['install'],
  grants: ['read', 'scan'],
};

/** A store that records what it was asked to create. */
const fakeStore = () => {
  const created: [string, readonly ApiKeyScope[]][] = [];
  const store: InstallationStore = {
    create: async (appKeyId, scopes) => {
      created.push([appKeyId, scopes]);
      const entity = { id: `inst-${created.length}`, scopes: [...scopes] } as InstallationEntity;
      return { token: `msi_token-${created.length}`, entity };
    },
  };
  return { store, created };
};
const allow = async () => ({
  totalHits: 1,
  timeToExpire: 60,
  isBlocked: false,
  timeToBlockExpire: 0,
});

describe('InstallationsService', () => {
  it('registers an installation of the app key carrying exactly its grants', async () => {
    const { store, created } = fakeStore();
    const answer = await new InstallationsService(store, allow).register(appKey, '10.0.0.1');
    assert.deepEqual(answer, {
      installationId: 'inst-1',
      token: 'msi_token-1',
      scopes: ['read', 'scan'],
    });
    assert.deepEqual(created, [[appKey.keyId, ['read', 'scan']]]);
  });

  it('refuses a key without grants (an admin key passes the scope check, yet is no app key)', async () => {
    const { store, created } = fakeStore();
    const admin: Principal = { keyId: 'k', name: 'ops', scopes: ['admin'], grants: [] };
    await assert.rejects(
      new InstallationsService(store, allow).register(admin, '10.0.0.1'),
      (e: unknown) => e instanceof ProblemException && e.getStatus() === 403,
    );
    assert.equal(created.length, 0);
  });

  it('refuses an installation token, so a token never mints another', async () => {
    const { store } = fakeStore();
    const token: Principal = { ...appKey, installation: { appKeyId: appKey.keyId } };
    await assert.rejects(
      new InstallationsService(store, allow).register(token, '10.0.0.1'),
      (e: unknown) => e instanceof ProblemException && e.getStatus() === 403,
    );
  });

  it('answers 429 with the window rest as Retry-After once the address spent its budget, creating nothing', async () => {
    const { store, created } = fakeStore();
    const spentIps: string[] = [];
    const blocked = async (ip: string) => {
      spentIps.push(ip);
      return { totalHits: 11, timeToExpire: 42, isBlocked: true, timeToBlockExpire: 42 };
    };
    await assert.rejects(
      new InstallationsService(store, blocked).register(appKey, '10.0.0.9'),
      (e: unknown) =>
        e instanceof RetryLaterException && e.getStatus() === 429 && e.retryAfterSeconds === 42,
    );
    assert.deepEqual(spentIps, ['10.0.0.9']);
    assert.equal(created.length, 0);
  });
});
