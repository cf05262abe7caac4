import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertView } from '#redis';
import { pushText } from './alert-push.text.js';

const row = (symbol: string, rank: number, signal: string) => ({
  symbol,
  rank,
  signal,
  techRating: 70,
});
const alert = (
  kind: AlertView['kind'],
  symbol: string,
  extra: Partial<AlertView> = {},
): AlertView => ({
  id: '1',
  watchId: 'w',
  watchName: 'Tech longs',
  dataVersion: 7,
  kind,
  symbol,
  before: null,
  after: null,
  createdAt: '2026-12-07T12:00:00.000Z',
  ...extra,
});

describe('pushText', () => {
  it('titles the push with the watch and names entries first, then signal changes, then exits', () => {
    const text = pushText([
      alert('exited', 'IBM', { before: row('IBM', 9, 'Long') }),
      alert('signalChanged', 'AAPL', {
        before: row('AAPL', 2, 'Long'),
        after: row('AAPL', 2, 'Short'),
      }),
      alert('entered', 'NVDA', { after: row('NVDA', 3, 'Strong Long') }),
    ]);
    assert.deepEqual(text, {
      title: 'Tech longs',
      body: 'NVDA entered at #3 (Strong Long); AAPL turned Short (was Long); IBM left the list',
    });
  });

  it('names three changes and counts the rest', () => {
    const alerts = ['A', 'B', 'C', 'D', 'E'].map((s, i) =>
      alert('entered', s, { after: row(s, i + 1, 'Long') }),
    );
    assert.equal(
      pushText(alerts).body,
      'A entered at #1 (Long); B entered at #2 (Long); C entered at #3 (Long); and 2 more',
    );
  });
});
