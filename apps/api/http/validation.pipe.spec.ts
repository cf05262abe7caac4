import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PredictDto } from '../predict/predict.dto.js';
import { ProblemException } from './problem.js';
import { createValidationPipe, MAX_INPUT_DEPTH, nestedDeeperThan } from './validation.pipe.js';

/** `[[…[1]…]]` nested `depth` levels deep. */
const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: PredictDto };

  it('refuses a body nested deeper than the limit with a 400 instead of overflowing the stack (fuzz finding)', async () => {
    await assert.rejects(
      pipe.transform({ text: nested(5000) }, body),
      (e: unknown) => e instanceof ProblemException && e.getStatus() === 400,
    );
  });

  it('passes through what it does not validate (a WebSocket message typed as a plain object)', async () => {
    const deep = { request: nested(5000) };
    assert.equal(await pipe.transform(deep, { type: 'body', metatype: Object }), deep);
  });

  it('still validates bodies of ordinary depth', async () => {
    assert.deepEqual(
      { ...((await pipe.transform({ text: 'fine' }, body)) as object) },
      { text: 'fine' },
    );
    await assert.rejects(
      pipe.transform({ text: nested(3) }, body),
      (e: unknown) => e instanceof ProblemException && e.getStatus() === 400,
    );
  });
});

describe('nestedDeeperThan', () => {
  it('counts object and array levels, not scalars', () => {
    assert.equal(nestedDeeperThan(1, 0), false);
    assert.equal(nestedDeeperThan({ a: [1] }, 2), false);
    assert.equal(nestedDeeperThan({ a: [1] }, 1), true);
    assert.equal(nestedDeeperThan(nested(MAX_INPUT_DEPTH), MAX_INPUT_DEPTH), false);
    assert.equal(nestedDeeperThan(nested(MAX_INPUT_DEPTH + 1), MAX_INPUT_DEPTH), true);
  });

  it('handles a million levels without recursion', () => {
    assert.equal(nestedDeeperThan(nested(1_000_000), MAX_INPUT_DEPTH), true);
  });
});
