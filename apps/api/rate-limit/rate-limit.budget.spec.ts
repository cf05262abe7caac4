import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateLimitKey, spendsScanBudget, trackerOf } from './rate-limit.budget.js';

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
});
