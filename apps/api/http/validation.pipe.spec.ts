import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PredictBatchDto, PredictDto } from '../predict/predict.dto.js';
import { CreateScanDto } from '../scans/scans.dto.js';
import { ProblemException, type ProblemBody } from './problem.js';
import { MAX_ITEM_ERRORS } from './validation.errors.js';
import {
  createValidationPipe,
  MAX_ARRAY_ITEMS,
  MAX_FIELD_ERRORS,
  MAX_INPUT_DEPTH,
  MAX_OBJECT_KEYS,
  nestedDeeperThan,
  tooWide,
} from './validation.pipe.js';

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

/** The problem a body is refused with. */
async function refusal(value: unknown, metatype: new () => object): Promise<ProblemBody> {
  const pipe = createValidationPipe();
  try {
    await pipe.transform(value, { type: 'body', metatype });
  } catch (e) {
    assert.ok(e instanceof ProblemException, String(e));
    return e.getResponse() as ProblemBody;
  }
  assert.fail('the body was accepted');
}

describe('createValidationPipe: messages a developer can act on', () => {
  it('gives one message per field, the type before the range', async () => {
    const p = await refusal({ maxSymbols: 'many', accountSize: 5, targetRR: 1e9 }, CreateScanDto);
    assert.deepEqual(p.errors, [
      { field: 'maxSymbols', message: 'maxSymbols must be an integer number' },
      { field: 'accountSize', message: 'accountSize must not be less than 100' },
      { field: 'targetRR', message: 'targetRR must not be greater than 20' },
    ]);
    assert.equal(
      p.detail,
      'Invalid request: maxSymbols must be an integer number; accountSize must not be less than 100; targetRR must not be greater than 20',
    );
    const fraction = await refusal({ maxSymbols: 1000.5 }, CreateScanDto);
    assert.deepEqual(fraction.errors, [
      { field: 'maxSymbols', message: 'maxSymbols must be an integer number' },
    ]);
  });

  it('says a list is not a list once, without also judging its items', async () => {
    const p = await refusal({ symbols: 5 }, CreateScanDto);
    assert.deepEqual(p.errors, [{ field: 'symbols', message: 'symbols must be an array' }]);
  });

  it('names invalid items by index, each with its first failed rule', async () => {
    const p = await refusal({ texts: ['fine', 5, '', 'x'.repeat(2001)] }, PredictBatchDto);
    assert.deepEqual(p.errors, [
      { field: 'texts[1]', message: 'texts[1] must be a string' },
      { field: 'texts[2]', message: 'texts[2] should not be empty' },
      {
        field: 'texts[3]',
        message: 'texts[3] must be shorter than or equal to 2000 characters',
      },
    ]);
  });

  it('judges the list and its items as separate fields', async () => {
    const p = await refusal({ symbols: [...Array(500).fill('A'), 7] }, CreateScanDto);
    assert.deepEqual(p.errors, [
      { field: 'symbols', message: 'symbols must contain no more than 500 elements' },
      { field: 'symbols[500]', message: 'symbols[500] must be a string' },
    ]);
  });

  it(`lists at most ${MAX_ITEM_ERRORS} invalid items and counts the rest`, async () => {
    const p = await refusal({ texts: Array(25).fill(1) }, PredictBatchDto);
    assert.equal(p.errors!.length, MAX_ITEM_ERRORS + 1);
    assert.deepEqual(p.errors!.at(-1), {
      field: 'texts',
      message: `texts has ${25 - MAX_ITEM_ERRORS} more invalid item(s) not listed`,
    });
  });

  it('names an unknown field, whatever characters its name holds', async () => {
    const p = await refusal({ '(colour': 1 }, CreateScanDto);
    assert.deepEqual(p.errors, [
      { field: '(colour', message: 'property (colour should not exist' },
    ]);
  });

  it('refuses a null, array or bare-value body with 400 saying what was sent', async () => {
    for (const [value, sent] of [
      [null, 'null'],
      [[], 'an array'],
      [3, 'a number'],
      ['text', 'a string'],
      [true, 'a boolean'],
    ] as const) {
      const p = await refusal(value, CreateScanDto);
      assert.equal(p.status, 400);
      assert.equal(p.detail, `Invalid request: the body must be a JSON object, not ${sent}`);
    }
  });

  it('accepts an absent body where every field is optional', async () => {
    const dto = await createValidationPipe().transform(undefined, {
      type: 'body',
      metatype: CreateScanDto,
    });
    assert.ok(dto instanceof CreateScanDto);
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
