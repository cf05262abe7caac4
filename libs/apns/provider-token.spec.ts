import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { MIN_TOKEN_AGE_MS, ProviderToken, TOKEN_REFRESH_MS } from './provider-token.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const identity = { teamId: 'TEAM123456', keyId: 'KEY1234567', keyPem };

/** A clock the test moves by hand. */
const clock = (start = Date.UTC(2026, 11, 7, 12)) => {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
};

describe('ProviderToken', () => {
  it('signs an ES256 JWT with kid = key id, iss = team id and iat = now, verifiable with the public key', async () => {
    const time = clock();
    const token = await ProviderToken.create(identity, time.now);
    const jwt = await token.get();
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'ES256', kid: 'KEY1234567' });
    const { payload } = await jwtVerify(jwt, publicKey, {
      issuer: 'TEAM123456',
      currentDate: new Date(time.now()),
    });
    assert.equal(payload.iat, Math.floor(time.now() / 1000));
  });

  it('reuses one token until TOKEN_REFRESH_MS (50 minutes), then signs a new one on the next use', async () => {
    const time = clock();
    const token = await ProviderToken.create(identity, time.now);
    const first = await token.get();
    time.advance(TOKEN_REFRESH_MS - 1);
    assert.equal(await token.get(), first);
    assert.equal(token.signedCount, 1);
    time.advance(1);
    const second = await token.get();
    assert.notEqual(second, first);
    assert.equal(token.signedCount, 2);
    assert.ok(TOKEN_REFRESH_MS < 60 * 60_000 && TOKEN_REFRESH_MS >= MIN_TOKEN_AGE_MS);
  });

  it('signs once for many concurrent first uses', async () => {
    const token = await ProviderToken.create(identity, clock().now);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => token.get()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(token.signedCount, 1);
  });

  it('re-signs after ExpiredProviderToken only when the token is at least 20 minutes old', async () => {
    const time = clock();
    const token = await ProviderToken.create(identity, time.now);
    const first = await token.get();
    time.advance(MIN_TOKEN_AGE_MS - 1);
    assert.equal(
      token.expire(first),
      false,
      'a younger token is kept: Apple would refuse a new one',
    );
    assert.equal(await token.get(), first);
    time.advance(1);
    assert.equal(token.expire(first), true);
    const second = await token.get();
    assert.notEqual(second, first);
    // A late answer about the old token does not throw the new one away.
    assert.equal(token.expire(first), true);
    assert.equal(await token.get(), second);
    assert.equal(token.signedCount, 2);
  });

  it('refuses a key that is not a P-256 private key in PKCS #8 PEM', async () => {
    await assert.rejects(ProviderToken.create({ ...identity, keyPem: 'not a key' }));
  });
});
