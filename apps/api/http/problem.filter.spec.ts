import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnavailableError } from './problem.filter.js';

describe('isUnavailableError', () => {
  it('recognises a refused connection and an exhausted pool', () => {
    assert.equal(
      isUnavailableError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
      true,
    );
    assert.equal(isUnavailableError(new Error('timeout exceeded when trying to connect')), true);
  });

  it('looks through a TypeORM QueryFailedError to its driver error', () => {
    const driverError = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    assert.equal(
      isUnavailableError(Object.assign(new Error('query failed'), { driverError })),
      true,
    );
  });

  it('does not treat programming errors as unavailability', () => {
    assert.equal(isUnavailableError(new TypeError('x is undefined')), false);
    assert.equal(isUnavailableError('text'), false);
  });
});
