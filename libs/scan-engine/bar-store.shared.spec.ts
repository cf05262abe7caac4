import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BarStoreBuilder,
  isShared,
  shareInPlace,
  shareInSteps,
  toShared,
  type BarStore,
} from './bar-store.js';

/** Columns of a store as plain arrays, to compare contents whatever their buffers. */
const contents = (s: BarStore) => ({
  symbols: s.symbols,
  offsets: [...s.offsets],
  dates: [...s.dates],
  open: [...s.open],
  high: [...s.high],
  low: [...s.low],
  close: [...s.close],
  volume: [...s.volume],
});

function build(shared: boolean, capacity = 2) {
  const b = new BarStoreBuilder(capacity, { shared }); // capacity below the rows: the columns grow
  b.append('AAA', 20180102, 1, 2, 0.5, 1.5, 100);
  b.append('AAA', 20180103, 1.5, 2.5, 1, 2, 200);
  b.append('AAA', 20180105, 2, 3, 1.5, 2.5, 300);
  b.append('BBB', 20180103, 10, 11, 9, 10.5, 1000);
  return b.build();
}

describe('shared bar stores', () => {
  it('builds every column on a SharedArrayBuffer when asked, through growth and trimming', () => {
    for (const capacity of [2, 4, 100]) {
      const s = build(true, capacity);
      assert.ok(isShared(s), `capacity ${capacity}`);
      assert.equal(s.close.length, 4);
      assert.deepEqual(contents(s), contents(build(false)));
    }
  });

  it('builds on plain ArrayBuffers by default', () => {
    const s = build(false);
    assert.equal(isShared(s), false);
    assert.ok(!(s.close.buffer instanceof SharedArrayBuffer));
  });

  it('copies a plain store onto shared columns once, and returns a shared one as it is', () => {
    const plain = build(false);
    const shared = toShared(plain);
    assert.ok(isShared(shared));
    assert.equal(isShared(plain), false, 'the original is left alone');
    assert.deepEqual(contents(shared), contents(plain));
    assert.equal(toShared(shared), shared);
  });

  it('moves a store onto shared columns in place, keeping its contents', () => {
    const store = build(false);
    const before = contents(store);
    shareInPlace(store);
    assert.ok(isShared(store));
    assert.deepEqual(contents(store), before);
    const close = store.close;
    shareInPlace(store);
    assert.equal(store.close, close, 'a shared column is not copied again');
  });

  it('moves a store in steps, each column swapped in whole', () => {
    const store = build(false);
    const before = contents(store);
    let steps = 0;
    for (const _ of shareInSteps(store, 3)) {
      steps++;
      // Between steps every column is whole: the old one or the finished copy.
      assert.deepEqual(contents(store), before);
    }
    assert.ok(isShared(store));
    assert.equal(steps, 7 * 2 - 1, 'offsets has 3 values (one step), each other column 4 (two)');
  });

  it('sees the same memory from a worker thread (postMessage shares, does not copy)', async () => {
    const { Worker } = await import('node:worker_threads');
    const store = build(true);
    const worker = new Worker(
      'require("node:worker_threads").parentPort.once("message", (s) => { s.close[0] = 42; process.exit(0); });',
      { eval: true },
    );
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage(store);
    await exited;
    assert.equal(store.close[0], 42);
  });
});
