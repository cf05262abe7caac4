import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const NO_FILE = '/nonexistent/.env';

describe('loadConfig', () => {
  it('works with no variables at all, using local defaults', () => {
    const config = loadConfig({}, NO_FILE);
    assert.equal(config.api.port, 3000);
    assert.equal(config.worker.port, 3100);
    assert.equal(config.rateLimits.perWindow.itemsWrite, 60);
    assert.equal(config.api.docsEnabled, true);
  });

  it('serves the docs everywhere but in production, unless DOCS_ENABLED says otherwise', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }, NO_FILE).api.docsEnabled, false);
    assert.equal(loadConfig({ NODE_ENV: 'test' }, NO_FILE).api.docsEnabled, true);
    const asked = loadConfig({ NODE_ENV: 'production', DOCS_ENABLED: 'true' }, NO_FILE);
    assert.equal(asked.api.docsEnabled, true);
  });

  it('takes a queue prefix with at most one hash tag', () => {
    assert.equal(loadConfig({}, NO_FILE).queuePrefix, 'bull');
    assert.equal(loadConfig({ QUEUE_PREFIX: '{bull}' }, NO_FILE).queuePrefix, '{bull}');
    for (const bad of ['{a}{b}', 'a b', '{', 'a:b'])
      assert.throws(() => loadConfig({ QUEUE_PREFIX: bad }, NO_FILE), /QUEUE_PREFIX/, bad);
  });

  it('reads the Redis CA file at start, and only for a rediss:// URL', () => {
    const tls = { REDIS_URL: 'rediss://redis.example:6380/0' };
    assert.equal(loadConfig(tls, NO_FILE).redisTlsCa, undefined);
    const ca = loadConfig({ ...tls, REDIS_TLS_CA_FILE: 'package.json' }, NO_FILE).redisTlsCa;
    assert.match(ca ?? '', /market-scanner/);
    assert.throws(
      () => loadConfig({ ...tls, REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, NO_FILE),
      /REDIS_TLS_CA_FILE: cannot read/,
    );
    assert.throws(
      () => loadConfig({ REDIS_TLS_CA_FILE: 'package.json' }, NO_FILE),
      /not a rediss:\/\/ URL/,
    );
  });

  it('converts numbers and flags from strings', () => {
    const config = loadConfig(
      { API_PORT: '4000', DOCS_ENABLED: 'false', RATE_LIMIT_PREDICT: '10' },
      NO_FILE,
    );
    assert.equal(config.api.port, 4000);
    assert.equal(config.api.docsEnabled, false);
    assert.equal(config.rateLimits.perWindow.predict, 10);
  });

  it('lists every bad variable in one error', () => {
    assert.throws(
      () =>
        loadConfig({ API_PORT: 'abc', DATABASE_URL: 'mysql://x', DOCS_ENABLED: 'maybe' }, NO_FILE),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const fields = error.problems.map((p) => p.split(':')[0]);
        assert.deepEqual(fields.sort(), ['API_PORT', 'DATABASE_URL', 'DOCS_ENABLED']);
        return true;
      },
    );
  });

  it('reads TRUST_PROXY as CIDR ranges: loopback, none, or a list of addresses and ranges', () => {
    const trust = (value?: string) =>
      loadConfig(value === undefined ? {} : { TRUST_PROXY: value }, NO_FILE).api.trustProxy;
    assert.deepEqual(trust(), ['127.0.0.0/8', '::1/128']);
    assert.deepEqual(trust('none'), []);
    assert.deepEqual(trust('172.28.0.0/16'), ['172.28.0.0/16']);
    assert.deepEqual(trust(' 10.0.0.7 , fd00::/8,loopback'), [
      '10.0.0.7/32',
      'fd00::/8',
      '127.0.0.0/8',
      '::1/128',
    ]);
  });

  it('refuses a bad TRUST_PROXY at startup, naming every bad entry in one problem', () => {
    for (const [value, named] of [
      ['172.28.0.0/33', /"172\.28\.0\.0\/33": the prefix length must be 0\.\.32/],
      ['10.0.0.0/8,nginx,::1/129', /"nginx" is not an IP address or CIDR range; "::1\/129"/],
      ['trusted', /"trusted" is not an IP address/],
      ['10.0.0.1,,10.0.0.2', /an empty entry/],
      ['fe80::1%eth0', /not an IP address/],
    ] as const) {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: value }, NO_FILE),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.problems.length, 1, error.message);
          assert.match(error.problems[0]!, /^TRUST_PROXY: /);
          assert.match(error.problems[0]!, named);
          assert.match(error.problems[0]!, /use none, loopback, or addresses and CIDR ranges/);
          return true;
        },
        value,
      );
    }
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ API_PORT: '' }, NO_FILE).api.port, 3000);
  });
});
