import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanSymbolBars, readEmbeddedBars } from '#market-data';
import {
  BarStoreBuilder,
  parseDate,
  ScanRun,
  toShared,
  type BarStore,
  type ScanParams,
} from '#scan-engine';
import { ScanThreads } from './scan-threads.js';

/**
 * A universe split across real worker threads gives exactly the outcome of one ScanRun over it
 * (hits, ranks, ties, relaxed lists, counts, wording), reports its progress, and fails cleanly.
 */

const BASE: ScanParams = {
  profile: 'balanced',
  maxSymbols: 25,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
};

/** The embedded 505 real symbols, cleaned as the importer cleans them, on SharedArrayBuffers. */
async function realStore(): Promise<BarStore> {
  const builder = new BarStoreBuilder(620_000, { shared: true });
  await readEmbeddedBars('data', (symbol, rows) => {
    for (const b of cleanSymbolBars(rows).bars)
      builder.append(symbol, parseDate(b.date), b.open, b.high, b.low, b.close, b.volume);
  });
  return builder.build();
}

/** Two symbols with the same bars (a tie broken by symbol), amid a few others; copied to shared memory. */
function tiedStore(): BarStore {
  const builder = new BarStoreBuilder();
  const day = (k: number) => 20170102 + Math.floor(k / 28) * 100 + (k % 28);
  const symbols = ['A1', 'B2', 'C3', 'TIE-A', 'TIE-B', 'Z9'];
  for (const [s, symbol] of symbols.entries()) {
    const slope = symbol.startsWith('TIE') ? 0.003 : [-0.002, -0.001, 0, 0, 0, 0.001][s]!;
    for (let k = 0; k < 300; k++) {
      const close = 50 * (1 + slope * k) * (1 + 0.01 * Math.sin(k / 5));
      builder.append(symbol, day(k), close, close * 1.01, close * 0.99, close, 2e6);
    }
  }
  return toShared(builder.build());
}

const inline = (store: BarStore, indexes: number[], params: ScanParams) => {
  const run = new ScanRun(store, indexes, params);
  run.step(Infinity);
  return run.result();
};

const noProgress = async () => {};
let real: BarStore;
let everything: number[];
const pools: ScanThreads[] = [];
const pool = (size: number) => {
  const threads = new ScanThreads(size, 1);
  pools.push(threads);
  return threads;
};

before(async () => {
  real = await realStore();
  everything = real.symbols.map((_, i) => i);
});
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('ScanThreads', () => {
  const cases: [string, Partial<ScanParams>][] = [
    ['the default request', {}],
    [
      'a long scan of 5 hits (the top spread over the shares)',
      { direction: 'long', maxSymbols: 5 },
    ],
    ['a short scan', { direction: 'short', profile: 'aggressive', maxSymbols: 50 }],
    ['both directions, every passing symbol', { direction: 'both', maxSymbols: 500 }],
    ['nothing passing: the relaxed top 10', { minTechRating: 100, direction: 'long' }],
    ['a relaxed list capped by maxSymbols', { minTechRating: 100, maxSymbols: 3 }],
    ['an earlier day', { asOf: 20160615, profile: 'conservative' }],
  ];
  for (const threadCount of [2, 3]) {
    it(`gives one ScanRun's outcome on the 505 real symbols, ${threadCount} threads`, async () => {
      const threads = pool(threadCount);
      for (const [name, overrides] of cases) {
        const params = { ...BASE, ...overrides };
        const split = await threads.scan(real, everything, params, 25, 25, noProgress);
        assert.deepEqual(split.outcome, inline(real, everything, params), name);
        assert.equal(split.outcome.relaxed, overrides.minTechRating === 100, `${name}: relaxed`);
      }
    });
  }

  it('breaks a tie by symbol across shares, as one ScanRun does', async () => {
    const store = tiedStore();
    const all = store.symbols.map((_, i) => i);
    const threads = pool(2);
    // Round-robin dealing puts TIE-A (index 3) and TIE-B (index 4) on different threads.
    for (const maxSymbols of [1, 2, 6]) {
      const params = { ...BASE, profile: 'aggressive' as const, minTechRating: 0, maxSymbols };
      const split = await threads.scan(store, all, params, 1, 25, noProgress);
      const one = inline(store, all, params);
      assert.deepEqual(split.outcome, one);
      if (maxSymbols === 6) {
        const at = one.hits.findIndex((h) => h.symbol === 'TIE-A');
        assert.equal(one.hits[at + 1]?.symbol, 'TIE-B', 'the twins side by side, TIE-A first');
        assert.equal(one.hits[at]!.techRating, one.hits[at + 1]!.techRating, 'tied');
      }
    }
  });

  it('scans a subset in any order, and a universe smaller than the thread count', async () => {
    const threads = pool(3);
    const subset = everything.filter((i) => i % 7 === 3).reverse();
    assert.deepEqual(
      (await threads.scan(real, subset, BASE, 10, 25, noProgress)).outcome,
      inline(real, subset, BASE),
    );
    assert.deepEqual(
      (await threads.scan(real, [5, 9], BASE, 10, 25, noProgress)).outcome,
      inline(real, [5, 9], BASE),
    );
  });

  it('reports progress per chunk up to the whole universe, with the merged top so far', async () => {
    const threads = pool(2);
    const seen: { scanned: number; top: string[] }[] = [];
    const { outcome } = await threads.scan(real, everything, BASE, 20, 5, async (n, partial) => {
      seen.push({ scanned: n, top: partial(5).map((h) => `${h.rank} ${h.symbol}`) });
    });
    assert.ok(seen.length >= 5, `${seen.length} reports`);
    const counts = seen.map((s) => s.scanned);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
    );
    assert.equal(counts.at(-1), everything.length, 'the last report counts every symbol');
    assert.deepEqual(
      seen.at(-1)!.top,
      outcome.hits.slice(0, 5).map((h) => `${h.rank} ${h.symbol}`),
    );
  });

  it('posts the store to each thread once per store, not once per scan', async () => {
    const threads = pool(2);
    const posted: string[] = [];
    const post = (threads as unknown as { post: (s: unknown, m: { type: string }) => void }).post;
    (threads as unknown as { post: typeof post }).post = function (slot, message, ...rest) {
      posted.push(message.type);
      return post.call(this, slot, message, ...rest);
    };
    await threads.scan(real, everything, BASE, 50, 25, noProgress);
    await threads.scan(real, everything, { ...BASE, maxSymbols: 3 }, 50, 25, noProgress);
    const other = tiedStore();
    await threads.scan(other, [0, 1, 2], BASE, 50, 25, noProgress);
    assert.deepEqual(posted, [
      'store',
      'scan',
      'store',
      'scan',
      'scan',
      'scan',
      'store',
      'scan',
      'store',
      'scan',
    ]);
  });

  it('fails the scan when a progress report fails, and scans again afterwards', async () => {
    const threads = pool(2);
    await assert.rejects(
      threads.scan(real, everything, BASE, 10, 25, async () => {
        throw new Error('the job lock is gone');
      }),
      /the job lock is gone/,
    );
    assert.deepEqual(
      (await threads.scan(real, everything, BASE, 50, 25, noProgress)).outcome,
      inline(real, everything, BASE),
    );
  });

  it('fails the scan when a thread dies mid-scan, and starts a new thread for the next', async () => {
    const threads = pool(2);
    let killed = false;
    await assert.rejects(
      threads.scan(real, everything, BASE, 5, 25, async () => {
        if (!killed) await threads.crash(1);
        killed = true;
      }),
      /scan thread 1 exited/,
    );
    assert.deepEqual(
      (await threads.scan(real, everything, BASE, 50, 25, noProgress)).outcome,
      inline(real, everything, BASE),
    );
  });

  it("passes on a share's error by name and message", async () => {
    const threads = pool(2);
    await assert.rejects(
      threads.scan(real, everything, { ...BASE, profile: 'reckless' as never }, 50, 25, noProgress),
      (error: Error) =>
        error.name === 'RangeError' && /unknown profile reckless/.test(error.message),
    );
  });

  it('refuses a store whose columns are not shared', async () => {
    const plain = new BarStoreBuilder().build();
    await assert.rejects(pool(2).scan(plain, [], BASE, 1, 25, noProgress), /SharedArrayBuffers/);
  });
});
