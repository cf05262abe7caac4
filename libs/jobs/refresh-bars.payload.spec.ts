import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { parseRefreshBarsPayload } from './refresh-bars.payload.js';

describe('parseRefreshBarsPayload', () => {
  it('accepts a version 1 payload with optional until and maxDays', () => {
    assert.deepEqual(
      parseRefreshBarsPayload({ v: 1, requestId: 'r', until: '2018-02-09', maxDays: 5 }),
      {
        v: 1,
        requestId: 'r',
        until: '2018-02-09',
        maxDays: 5,
      },
    );
  });

  it('rejects other versions and bad fields with one UnrecoverableError naming them all', () => {
    assert.throws(
      () => parseRefreshBarsPayload({ v: 2, until: 'tomorrow', maxDays: 0 }),
      (error: unknown) =>
        error instanceof UnrecoverableError &&
        /version 2, requestId, until, maxDays/.test(error.message),
    );
  });
});
