import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('leaves tracing off unless an exporter or an OTLP endpoint is set', () => {
    const on = (env: Record<string, string>) => loadConfig(env, NO_FILE).tracing.enabled;
    assert.equal(on({}), false);
    assert.equal(on({ OTEL_SERVICE_NAME: 'x' }), false);
    assert.equal(on({ OTEL_TRACES_EXPORTER: 'otlp' }), true);
    assert.equal(on({ OTEL_TRACES_EXPORTER: 'console' }), true);
    assert.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true);
    assert.equal(on({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' }), true);
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    assert.equal(on({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }), false);
    assert.equal(on({ ...endpoint, OTEL_SDK_DISABLED: 'true' }), false);
  });

  it('refuses OTEL_* values the SDK would otherwise ignore with a default', () => {
    const bad = {
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'ratio',
      OTEL_TRACES_SAMPLER_ARG: '10',
    };
    assert.throws(
      () => loadConfig(bad, NO_FILE),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const fields = error.problems.map((p) => p.split(':')[0]);
        assert.deepEqual(fields.sort(), Object.keys(bad).sort());
        return true;
      },
    );
    const good = {
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    };
    assert.equal(loadConfig(good, NO_FILE).tracing.enabled, true);
  });

  it('hands every OTEL_* variable to the SDK, the environment winning over .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'OTEL_SERVICE_NAME=from-file\nOTEL_EXPORTER_OTLP_HEADERS=a=b\n');
    const { tracing } = loadConfig({ OTEL_SERVICE_NAME: 'from-env', API_PORT: '3000' }, file);
    assert.deepEqual(tracing.variables, {
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=b',
    });
    assert.equal(tracing.serviceName, 'from-env');
  });
});
