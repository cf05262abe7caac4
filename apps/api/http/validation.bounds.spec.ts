import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PredictBatchDto } from '../predict/predict.dto.js';
import { CreateScanDto } from '../scans/scans.dto.js';
import { ProblemException, type ProblemBody } from './problem.js';
import {
  createValidationPipe,
  MAX_ARRAY_ITEMS,
  MAX_FIELD_ERRORS,
  MAX_OBJECT_KEYS,
  tooWide,
} from './validation.pipe.js';

async function refusal(value: unknown, metatype: new () => object): Promise<ProblemBody> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype });
  } catch (e) {
    assert.ok(e instanceof ProblemException, String(e));
    return e.getResponse() as ProblemBody;
  }
  assert.fail('the body was accepted');
}

/** Issue 13: no body a client can build makes validation's cost grow faster than the body. */
describe('validation bounds', () => {
  it('refuses 110,000 unknown keys by their count, before class-transformer sees them', async () => {
    const body = Object.fromEntries(Array.from({ length: 110_000 }, (_, i) => [`k${i}`, i]));
    const p = await refusal(body, CreateScanDto);
    assert.equal(p.status, 400);
    assert.equal(
      p.detail,
      `Invalid request: the body has 110000 fields; at most ${MAX_OBJECT_KEYS}`,
    );
    assert.equal(p.errors, undefined, 'no list of 110,000 field errors');
  });

  it('refuses a wide array anywhere in the body, naming where', async () => {
    const p = await refusal({ texts: Array(MAX_ARRAY_ITEMS + 1).fill('x') }, PredictBatchDto);
    assert.match(p.detail, new RegExp(`texts has ${MAX_ARRAY_ITEMS + 1} items; at most`));
    assert.equal(tooWide({ a: [{ b: Array(10).fill({}) }] }), null);
    assert.match(
      tooWide({ a: [{ b: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [i, 1])) }] })!,
      /^a\[0\]\.b has 65 fields/,
    );
  });

  it(`answers many invalid fields with at most ${MAX_FIELD_ERRORS} errors and counts the rest`, async () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`unknown${i}`, i]));
    const p = await refusal(body, CreateScanDto);
    assert.equal(p.errors!.length, MAX_FIELD_ERRORS);
    assert.match(p.detail, /; and 30 more$/);
  });
});
