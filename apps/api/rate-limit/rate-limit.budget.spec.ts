import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppConfig } from '#config';
import type { Principal } from '../auth/api-key.service.js';
import { rateLimitKey, rateLimitOf, spendsScanBudget, trackerOf } from './rate-limit.budget.js';

describe('rate-limit budgets', () => {
  it('counts an installation token under its own id, in the same key format as an API key', () => {
    const token = { keyId: 'inst-1', name: 'app', scopes: [], installation: { appKeyId: 'k-1' } };
    assert.equal(
      rateLimitKey('scansCreate', trackerOf(token, '10.0.0.1')),
      'scansCreate:key:inst-1',
    );
    assert.equal(trackerOf(undefined, '10.0.0.1'), 'ip:10.0.0.1');
  });

  it('spends the scans-create budget on new work only: not on cached answers nor refusals', () => {
    assert.equal(spendsScanBudget({ cached: false }), true);
    assert.equal(spendsScanBudget({ cached: true }), false);
    for (const status of [400, 403, 404, 422, 429])
      assert.equal(spendsScanBudget({ status }), false);
    // A failure of ours is not the caller's refusal: it still counts, so retries stay bounded.
    assert.equal(spendsScanBudget({ status: 503 }), true);
  });

  it("takes a credential's own limit for a bucket it overrides, the default for the others", () => {
    const config = { rateLimits: { perWindow: { scansCreate: 20, predict: 300 } } } as AppConfig;
    const partner: Principal = {
      keyId: 'p',
      name: 'partner',
      scopes: [],
      limits: { scansCreate: 600 },
    };
    assert.equal(rateLimitOf(config, 'scansCreate', partner), 600);
    assert.equal(rateLimitOf(config, 'predict', partner), 300);
    assert.equal(rateLimitOf(config, 'scansCreate', undefined), 20);
  });
});
