import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl } from './logging.module.js';

const KEY = 'msk_AAAAAAAA_secretsecretsecretsecretsecretsecretsec';

describe('redactUrl', () => {
  it('redacts apiKey however its name is spelled or encoded, and nothing else', () => {
    for (const name of [
      'apiKey',
      'APIKEY',
      '%61piKey',
      'api%4Bey',
      '%61%70%69%4b%65%79',
      'apiKey+',
    ])
      assert.equal(
        redactUrl(`/v1/ws?x=1&${name}=${KEY};y=2`),
        `/v1/ws?x=1&${name}=[Redacted];y=2`,
        name,
      );
    assert.equal(redactUrl('/v1/items?limit=3&apikeys=1'), '/v1/items?limit=3&apikeys=1');
    assert.equal(redactUrl('/v1/items?%E0%A4%A=1'), '/v1/items?%E0%A4%A=1', 'bad escapes pass');
    assert.equal(redactUrl('/v1/items'), '/v1/items');
    assert.equal(redactUrl(undefined), undefined);
  });
});
