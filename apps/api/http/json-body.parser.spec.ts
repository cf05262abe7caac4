import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonShapeProblem } from './json-body.parser.js';

const limits = { depth: 3, keys: 2, items: 3 };
const shape = (text: string) => jsonShapeProblem(Buffer.from(text), limits);

describe('jsonShapeProblem', () => {
  it('accepts what fits, whatever brackets, commas and escapes its strings hold', () => {
    assert.equal(shape('{"a":[1,2,3],"b":{"c":[]}}'), null);
    assert.equal(shape('{"a":"[[[[,,,,{{{{","b":"\\\\\\"[[[["}'), null);
    assert.equal(shape('[]'), null);
    assert.equal(shape('"just a string, with [brackets]"'), null);
  });

  it('names the first bound passed', () => {
    assert.equal(shape('[[[[1]]]]'), 'body nests deeper than 3 levels');
    assert.equal(shape('[1,2,3,4]'), 'an array in the body has more than 3 items');
    assert.equal(shape('{"a":1,"b":2,"c":3}'), 'an object in the body has more than 2 fields');
    assert.equal(
      shape('{"a":[1,2,3],"b":[{"x":1,"y":2,"z":3}]}'),
      'an object in the body has more than 2 fields',
    );
  });

  it('reads a megabyte of nesting without recursion', () => {
    const deep = Buffer.from(`${'['.repeat(500_000)}${']'.repeat(500_000)}`);
    assert.match(jsonShapeProblem(deep, { depth: 32, keys: 64, items: 1024 })!, /deeper than 32/);
  });
});
