import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bullConnection } from './bull-connection.js';

describe('bullConnection', () => {
  it('takes the password (percent-decoded), host, port and db of a redis:// URL', () => {
    const options = bullConnection('redis://:p%40ss%2Fw%3Ard@10.0.0.5:6380/4', 'consumer');
    assert.equal(options.password, 'p@ss/w:rd');
    assert.equal(options.username, undefined);
    assert.equal(options.host, '10.0.0.5');
    assert.equal(options.port, 6380);
    assert.equal(options.db, 4);
  });

  it('sends no credentials for a URL without them, nor for an empty password', () => {
    for (const url of ['redis://127.0.0.1:6379/0', 'redis://:@redis:6379/0']) {
      const options = bullConnection(url, 'producer');
      assert.equal(options.password, undefined, url);
      assert.equal(options.username, undefined, url);
    }
  });
});
