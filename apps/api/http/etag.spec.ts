import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ifNoneMatchHits } from './etag.js';

describe('ifNoneMatchHits', () => {
  it('matches the same tag, weak or strong, alone or in a list', () => {
    assert.equal(ifNoneMatchHits('"a1"', '"a1"'), true);
    assert.equal(ifNoneMatchHits('W/"a1"', '"a1"'), true);
    assert.equal(ifNoneMatchHits('"zz", W/"a1"', 'W/"a1"'), true);
    assert.equal(ifNoneMatchHits('*', '"a1"'), true);
  });

  it('does not match another tag or a missing header', () => {
    assert.equal(ifNoneMatchHits('"a2"', '"a1"'), false);
    assert.equal(ifNoneMatchHits('a1', '"a1"'), false);
    assert.equal(ifNoneMatchHits(undefined, '"a1"'), false);
    assert.equal(ifNoneMatchHits('', '"a1"'), false);
  });
});
