import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import { hashApiKey } from '#database';
import { ApiKeyService, GUESS_REFUSED } from './api-key.service.js';
import type { CredentialUsageRecorder } from './credential-usage.recorder.js';

const VALID = `msk_AAAAAAAA_${'a'.repeat(43)}`;
const randomKey = () => `msk_BBBBBBBB_${randomBytes(32).toString('base64url')}`;

/** A data source that knows one key and counts the lookups made. */
function fakeDataSource() {
  const lookups: string[] = [];
  const dataSource = {
    getRepository: () => ({
      findOne: async ({ where }: { where: { secret: { hash: string } } }) => {
        lookups.push(where.secret.hash);
        return where.secret.hash === hashApiKey(VALID)
          ? {
              id: 'k-1',
              secret: { prefix: 'AAAAAAAA' },
              name: 'valid',
              scopes: ['read'],
              grants: [],
              limits: {},
            }
          : null;
      },
    }),
  } as unknown as DataSource;
  return { lookups, dataSource };
}

const usage = { record: () => {} } as unknown as CredentialUsageRecorder;
const config = { auth: { cacheTtlMs: 30_000 } } as AppConfig;

describe('ApiKeyService caches', () => {
  it('keeps a valid key cached through a flood of 20,000 unknown keys', async () => {
    const { lookups, dataSource } = fakeDataSource();
    const keys = new ApiKeyService(dataSource, config, usage);
    assert.equal((await keys.authenticate(VALID))?.keyId, 'k-1');
    for (let i = 0; i < 20_000; i++) assert.equal(await keys.authenticate(randomKey()), null);
    const before = lookups.length;
    assert.equal((await keys.authenticate(VALID))?.keyId, 'k-1');
    assert.equal(lookups.length, before, 'the valid key was answered from its cache');
  });

  it('looks an unknown key up once, then remembers it briefly', async () => {
    const { lookups, dataSource } = fakeDataSource();
    const keys = new ApiKeyService(dataSource, config, usage);
    const guess = randomKey();
    const asked = askCounter(true);
    assert.equal(await keys.authenticate(guess, asked.mayGuess), null);
    assert.equal(asked.count, 1, 'a fresh well-formed key may be a guess: its caller is asked');
    assert.equal(await keys.authenticate(guess, asked.mayGuess), null);
    assert.equal(lookups.length, 1);
    assert.equal(asked.count, 1, 'remembered: no lookup, nothing to ask');
  });

  it('refuses a possible guess without a lookup when its caller says no', async () => {
    const { lookups, dataSource } = fakeDataSource();
    const keys = new ApiKeyService(dataSource, config, usage);
    assert.equal(await keys.authenticate(randomKey(), askCounter(false).mayGuess), GUESS_REFUSED);
    assert.equal(lookups.length, 0);
  });

  it('never takes a key that was valid lately for a guess, even with no cache', async () => {
    const { lookups, dataSource } = fakeDataSource();
    const uncached = new ApiKeyService(dataSource, { auth: { cacheTtlMs: 0 } } as AppConfig, usage);
    const refusing = askCounter(false);
    assert.equal(await uncached.authenticate(VALID, refusing.mayGuess), GUESS_REFUSED);
    assert.equal(refusing.count, 1, 'never seen: it may be a guess');
    await uncached.authenticate(VALID);
    assert.equal((await uncached.authenticate(VALID, refusing.mayGuess) as { keyId: string }).keyId, 'k-1');
    assert.equal(refusing.count, 1, 'valid lately: looked up again without asking');
    const before = lookups.length;
    assert.equal(await uncached.authenticate('not a key', refusing.mayGuess), null);
    assert.equal(refusing.count, 1, 'malformed: refused without asking');
    assert.equal(lookups.length, before, 'malformed: refused without a lookup');
  });
});

/** A `mayGuess` answering `answer`, counting how often it was asked. */
function askCounter(answer: boolean) {
  const counter = {
    count: 0,
    mayGuess: async () => {
      counter.count++;
      return answer;
    },
  };
  return counter;
}
