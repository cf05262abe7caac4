import type { AlertKind, WatchEvent, WatchNotify, WatchResultRow } from '#database';

/** An alert before it has an id: what changed for one symbol of one watch. */
export interface AlertDraft {
  kind: AlertKind;
  symbol: string;
  before: WatchResultRow | null;
  after: WatchResultRow | null;
}

/** The rows a watch follows: the first `topN` of a ranking (fewer when the scan returns fewer). */
export function topRows(
  hits: readonly { symbol: string; rank: number; signal: string; techRating: number }[],
  topN: number,
): WatchResultRow[] {
  return hits.slice(0, topN).map(({ symbol, rank, signal, techRating }) => ({
    symbol,
    rank,
    signal,
    techRating,
  }));
}

const EVENT_OF: Record<AlertKind, WatchEvent> = {
  entered: 'enter',
  exited: 'exit',
  signalChanged: 'signalChange',
};

/**
 * What changed between a watch's previous top-N and the new one, limited to the events it asked
 * for. No previous result (a new watch, or one whose request was changed) is a baseline: nothing is
 * reported, so a watch never opens with ten `entered` alerts for the list the user just saw.
 * A move within the top-N alone is not an alert. Entered and signal changes come in the new
 * ranking's order, then the exits in the old one's.
 */
export function diffTopN(
  previous: readonly WatchResultRow[] | null,
  current: readonly WatchResultRow[],
  notify: WatchNotify,
): AlertDraft[] {
  if (previous === null) return [];
  const wanted = new Set(notify.on);
  const before = new Map(previous.map((row) => [row.symbol, row]));
  const now = new Set(current.map((row) => row.symbol));
  const drafts: AlertDraft[] = [];
  for (const row of current) {
    const old = before.get(row.symbol);
    if (!old) drafts.push({ kind: 'entered', symbol: row.symbol, before: null, after: row });
    else if (old.signal !== row.signal)
      drafts.push({ kind: 'signalChanged', symbol: row.symbol, before: old, after: row });
  }
  for (const row of previous)
    if (!now.has(row.symbol))
      drafts.push({ kind: 'exited', symbol: row.symbol, before: row, after: null });
  return drafts.filter((draft) => wanted.has(EVENT_OF[draft.kind]));
}

/**
 * Watches grouped by normalized request (its hash): each group costs one scan, whatever the number
 * of watches in it. The request kept is the first watch's; they are equal by construction.
 */
export function groupByRequest<T extends { requestHash: string; request: unknown }>(
  watches: readonly T[],
): Map<string, { request: T['request']; watches: T[] }> {
  const groups = new Map<string, { request: T['request']; watches: T[] }>();
  for (const watch of watches) {
    const group = groups.get(watch.requestHash);
    if (group) group.watches.push(watch);
    else groups.set(watch.requestHash, { request: watch.request, watches: [watch] });
  }
  return groups;
}

/**
 * Alert ids cut into delivery batches of about `size`, never splitting one watch's alerts (the
 * consumer makes one push per watch per job: a split pair would be two pushes). `alerts` come
 * grouped by watch.
 */
export function batchesByWatch(
  alerts: readonly { id: string; watchId: string }[],
  size: number,
): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  alerts.forEach((alert, i) => {
    const watchEnds = alerts[i + 1]?.watchId !== alert.watchId;
    current.push(alert.id);
    if (watchEnds && current.length >= size) {
      batches.push(current);
      current = [];
    }
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
