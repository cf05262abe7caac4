import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServedBytes } from './served-bytes.js';

describe('ServedBytes (the in-process LRU of cached scan answers)', () => {
  const clock = () => {
    const c = { t: 0, now: () => c.t };
    return c;
  };

  it('evicts the least recently used entry beyond its entry bound', () => {
    const lru = new ServedBytes<string>(2, 1000);
    lru.set('a', 'A', 1, 60_000);
    lru.set('b', 'B', 1, 60_000);
    assert.equal(lru.get('a'), 'A'); // a is now the most recent
    lru.set('c', 'C', 1, 60_000);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.get('c'), 'C');
    assert.equal(lru.size, 2);
  });

  it('evicts by bytes as well, and never holds one value larger than the byte bound', () => {
    const lru = new ServedBytes<string>(100, 10);
    lru.set('a', 'A', 4, 60_000);
    lru.set('b', 'B', 4, 60_000);
    lru.set('c', 'C', 4, 60_000);
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.totalBytes, 8);
    lru.set('huge', 'H', 11, 60_000);
    assert.equal(lru.get('huge'), undefined);
    assert.equal(lru.totalBytes, 8);
  });

  it('forgets an entry once its time is up', () => {
    const c = clock();
    const lru = new ServedBytes<string>(10, 100, c.now);
    lru.set('a', 'A', 5, 1000);
    c.t = 999;
    assert.equal(lru.get('a'), 'A');
    c.t = 1000;
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.totalBytes, 0);
  });

  it('replaces a key without counting it twice, and clears', () => {
    const lru = new ServedBytes<string>(10, 100);
    lru.set('a', 'A', 5, 60_000);
    lru.set('a', 'A2', 7, 60_000);
    assert.equal(lru.get('a'), 'A2');
    assert.equal(lru.totalBytes, 7);
    lru.clear();
    assert.equal(lru.size, 0);
    assert.equal(lru.totalBytes, 0);
  });
});
