import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProblem, type CallInit } from './support/http.js';
import { useStack } from './support/stack.js';

/** Errors a developer can act on: what a client sees when its request is wrong (issue 11, item 6). */
describe('errors', () => {
  const stack = useStack({ api: true, keys: { key: 'read,scan,predict,admin' } });
  const { keys } = stack;
  const post = (path: string, init: CallInit) =>
    stack.call(path, { method: 'POST', key: keys.key, ...init });
  const raw = (path: string, contentType: string, body: string) =>
    post(path, { headers: { 'Content-Type': contentType }, body });

  it('answers 415 problem+json for a text/plain, form or XML body on every JSON route', async () => {
    const bodies: [string, string][] = [
      ['text/plain', '{"maxSymbols":5}'],
      ['text/plain; charset=utf-8', 'hello'],
      ['application/x-www-form-urlencoded', 'maxSymbols=5&profile=balanced'],
      ['application/xml', '<scan/>'],
    ];
    for (const path of ['/v1/scans', '/v1/predict', '/v1/predict/batch', '/v1/items'])
      for (const [type, body] of bodies) {
        const res = await raw(path, type, body);
        assertProblem(res, 415);
        assert.match(res.body.detail, /application\/json/, `${path} ${type}`);
      }
    // A body with no Content-Type at all (fetch sends none for raw bytes).
    const bare = await post('/v1/scans', { body: new TextEncoder().encode('{}') });
    assertProblem(bare, 415);
  });

  it('refuses a null, array or bare-value JSON body with 400 saying what was sent', async () => {
    for (const [text, sent] of [
      ['null', 'null'],
      ['[]', 'an array'],
      ['42', 'a number'],
      ['"scan"', 'a string'],
    ]) {
      const res = await raw('/v1/scans', 'application/json', text!);
      assertProblem(res, 400);
      assert.match(res.body.detail, new RegExp(`must be a JSON object, not ${sent}`));
    }
    assertProblem(await raw('/v1/predict', 'application/json', 'null'), 400);
  });

  it('gives one message per invalid field, the type before the range', async () => {
    const res = await post('/v1/scans', { json: { maxSymbols: 'many', minTechRating: 101 } });
    assertProblem(res, 400);
    assert.deepEqual(res.body.errors, [
      { field: 'maxSymbols', message: 'maxSymbols must be an integer number' },
      { field: 'minTechRating', message: 'minTechRating must not be greater than 100' },
    ]);
    assert.equal(
      res.body.detail,
      'Invalid request: maxSymbols must be an integer number; minTechRating must not be greater than 100',
    );
  });

  it('names invalid array items by their index', async () => {
    const batch = await post('/v1/predict/batch', { json: { texts: ['a', 'b', 'c', 5, ''] } });
    assertProblem(batch, 400);
    assert.deepEqual(batch.body.errors, [
      { field: 'texts[3]', message: 'texts[3] must be a string' },
      { field: 'texts[4]', message: 'texts[4] should not be empty' },
    ]);
    const scan = await post('/v1/scans', { json: { symbols: ['AAPL', 'MSFT', 'NOPE1'] } });
    assertProblem(scan, 400);
    assert.deepEqual(
      scan.body.errors?.map((e) => e.field),
      ['symbols[2]'],
    );
    assert.match(scan.body.detail, /symbols\[2\] NOPE1 is unknown or inactive/);
  });

  it('says why when the symbols and the sectors cannot overlap', async () => {
    const res = await post('/v1/scans', {
      json: { sectors: ['energy'], symbols: ['AAPL', 'MSFT'] },
    });
    assertProblem(res, 400);
    assert.match(res.body.detail, /none of the symbols \(AAPL, MSFT\) is in the sectors Energy/);
    assert.match(res.body.detail, /they are in Information Technology/);
  });
});
