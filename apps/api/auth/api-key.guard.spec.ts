import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractApiKey } from './api-key.guard.js';

describe('extractApiKey', () => {
  it('prefers the X-API-Key header', () => {
    assert.equal(extractApiKey({ 'x-api-key': 'a', authorization: 'Bearer b' }), 'a');
  });

  it('accepts an Authorization bearer token', () => {
    assert.equal(extractApiKey({ authorization: 'bearer  b ' }), 'b');
  });

  it('accepts ?apiKey= only when a URL is given (browser WebSockets)', () => {
    assert.equal(extractApiKey({}, '/v1/ws?apiKey=c'), 'c');
    assert.equal(extractApiKey({}), null);
  });

  it('ignores other authorization schemes', () => {
    assert.equal(extractApiKey({ authorization: 'Basic dTpw' }), null);
  });
});
