import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchNotify, WatchResultRow } from '#database';
import { batchesByWatch, diffTopN, groupByRequest, topRows } from './watch-diff.js';

const row = (symbol: string, rank: number, signal = 'Long', techRating = 65): WatchResultRow => ({
  symbol,
  rank,
  signal,
  techRating,
});
const all: WatchNotify = { topN: 3, on: ['enter', 'exit', 'signalChange'] };

describe('diffTopN', () => {
  it('reports nothing on the first evaluation (a baseline)', () => {
    assert.deepEqual(diffTopN(null, [row('AAPL', 1), row('MSFT', 2)], all), []);
  });

  it('reports a symbol that entered and the one it pushed out, with before and after', () => {
    const before = [row('AAPL', 1), row('MSFT', 2), row('NVDA', 3)];
    const after = [row('AAPL', 1), row('XOM', 2), row('MSFT', 3)];
    assert.deepEqual(diffTopN(before, after, all), [
      { kind: 'entered', symbol: 'XOM', before: null, after: row('XOM', 2) },
      { kind: 'exited', symbol: 'NVDA', before: row('NVDA', 3), after: null },
    ]);
  });

  it('reports a signal change of a symbol that stayed, and not a mere move in rank', () => {
    const before = [row('AAPL', 1, 'Long'), row('MSFT', 2, 'Long')];
    const after = [row('MSFT', 1, 'Long'), row('AAPL', 2, 'Strong Long', 76)];
    assert.deepEqual(diffTopN(before, after, all), [
      {
        kind: 'signalChanged',
        symbol: 'AAPL',
        before: row('AAPL', 1, 'Long'),
        after: row('AAPL', 2, 'Strong Long', 76),
      },
    ]);
  });

  it('keeps only the events the watch asked for', () => {
    const before = [row('AAPL', 1), row('MSFT', 2, 'Long')];
    const after = [row('XOM', 1), row('MSFT', 2, 'Avoid')];
    const kinds = (on: WatchNotify['on']) =>
      diffTopN(before, after, { topN: 2, on }).map((d) => `${d.kind} ${d.symbol}`);
    assert.deepEqual(kinds(['enter']), ['entered XOM']);
    assert.deepEqual(kinds(['exit']), ['exited AAPL']);
    assert.deepEqual(kinds(['signalChange']), ['signalChanged MSFT']);
    assert.deepEqual(kinds([]), []);
  });

  it('reports nothing when the top-N is unchanged', () => {
    const rows = [row('AAPL', 1), row('MSFT', 2)];
    assert.deepEqual(
      diffTopN(
        rows,
        rows.map((r) => ({ ...r })),
        all,
      ),
      [],
    );
  });
});

describe('topRows', () => {
  it('keeps the first N hits with rank, signal and rating only', () => {
    const hits = [1, 2, 3, 4].map((rank) => ({ ...row(`S${rank}`, rank), name: 'x', plan: null }));
    assert.deepEqual(topRows(hits, 2), [row('S1', 1), row('S2', 2)]);
    assert.equal(topRows(hits, 10).length, 4, 'fewer hits than N: all of them');
  });
});

describe('groupByRequest', () => {
  it('puts watches with the same request hash in one group, whatever their number', () => {
    const watches = [
      { id: 'a', requestHash: 'h1', request: { maxSymbols: 10 } },
      { id: 'b', requestHash: 'h2', request: { maxSymbols: 20 } },
      { id: 'c', requestHash: 'h1', request: { maxSymbols: 10 } },
    ];
    const groups = groupByRequest(watches);
    assert.deepEqual([...groups.keys()], ['h1', 'h2']);
    assert.deepEqual(
      groups.get('h1')!.watches.map((w) => w.id),
      ['a', 'c'],
    );
    assert.deepEqual(groups.get('h2')!.request, { maxSymbols: 20 });
  });
});

describe('batchesByWatch', () => {
  it('cuts batches of about the size at watch boundaries only, keeping every id once', () => {
    const alerts = ['a', 'a', 'b', 'b', 'c', 'd', 'd'].map((watchId, i) => ({
      id: String(i + 1),
      watchId,
    }));
    assert.deepEqual(batchesByWatch(alerts, 3), [
      ['1', '2', '3', '4'],
      ['5', '6', '7'],
    ]);
    assert.deepEqual(batchesByWatch(alerts, 1), [['1', '2'], ['3', '4'], ['5'], ['6', '7']]);
    assert.deepEqual(batchesByWatch([], 3), []);
  });
});
