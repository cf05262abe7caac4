// The locked production tree, and what the registry check makes of the registry's answers
// (a stub stands in for fetch: unit specs use no network).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productionPackages } from './lockfile.mjs';
import { checkRegistry, compareIntegrity, type Fetch } from './registry.mjs';

describe('productionPackages', () => {
  it('keeps what npm installs with --omit=dev, once per name@version with every path', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app' },
        'node_modules/ws': { version: '8.18.0', integrity: 'sha512-a' },
        'node_modules/@nestjs/platform-ws/node_modules/ws': {
          version: '8.18.0',
          integrity: 'sha512-a',
        },
        'node_modules/eslint': { version: '9.0.0', dev: true },
        'node_modules/fsevents': { version: '2.3.3', devOptional: true, optional: true },
        'node_modules/npm/node_modules/abbrev': { version: '3.0.0', inBundle: true },
        'node_modules/local': { version: '1.0.0', resolved: 'file:../local', link: true },
        'node_modules/from-git': { version: '1.0.0', resolved: 'git+ssh://git@host/x.git' },
        'node_modules/string-width-cjs': { name: 'string-width', version: '4.2.3' },
      },
    };
    assert.deepEqual(
      productionPackages(lock).map((p) => [p.name, p.version, p.paths.length]),
      [
        ['fsevents', '2.3.3', 1],
        ['string-width', '4.2.3', 1],
        ['ws', '8.18.0', 2],
      ],
    );
  });

  it('refuses a lockfile without a packages map (npm 6)', () => {
    assert.throws(() => productionPackages({ lockfileVersion: 1 }), /lockfile v2 or later/);
  });
});

describe('compareIntegrity', () => {
  it('compares the algorithms both sides have', () => {
    assert.equal(compareIntegrity('sha512-abc', 'sha512-abc sha1-zzz'), 'same');
    assert.equal(compareIntegrity('sha512-abc', 'sha512-abd'), 'different');
    assert.equal(compareIntegrity('sha1-abc', 'sha512-abc'), 'unverifiable');
  });
});

describe('checkRegistry', () => {
  const locked = [
    { name: '@scope/kept', version: '1.0.0', integrity: 'sha512-k', paths: [] },
    { name: 'old', version: '0.1.0', integrity: 'sha512-o', paths: [] },
    { name: 'flaky', version: '2.0.0', integrity: 'sha512-f', paths: [] },
  ];
  const answer = (status: number, body: unknown = {}) => ({ status, json: async () => body });

  it('lists deprecations, retries a 5xx once, and calls a version it never got unchecked', async () => {
    const asked: string[] = [];
    const fetchImpl: Fetch = async (url) => {
      asked.push(url.replace('http://r/', ''));
      if (url.endsWith('-/ping')) return answer(200);
      if (url.includes('@scope%2fkept/1.0.0'))
        return answer(200, { dist: { integrity: 'sha512-k' } });
      if (url.includes('old/0.1.0'))
        return answer(200, { dist: { integrity: 'sha512-o' }, deprecated: 'use new instead' });
      return answer(503);
    };
    const outcome = await checkRegistry(locked, 'http://r/', { fetchImpl, concurrency: 1 });
    assert.equal(outcome.status, 'checked');
    if (outcome.status !== 'checked') return;
    assert.deepEqual(outcome.deprecated, [
      { package: 'old', version: '0.1.0', detail: 'use new instead' },
    ]);
    assert.deepEqual(outcome.unchecked, [
      { package: 'flaky', version: '2.0.0', detail: 'HTTP 503' },
    ]);
    assert.deepEqual(outcome.unpublished, []);
    assert.equal(asked.filter((u) => u === 'flaky/2.0.0').length, 2);
  });

  it('skips, with the reason, when the registry does not answer its ping', async () => {
    const fetchImpl: Fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    };
    assert.deepEqual(await checkRegistry(locked, 'http://r/', { fetchImpl }), {
      status: 'skipped',
      reason: 'the registry is unreachable: ENOTFOUND',
    });
  });
});
