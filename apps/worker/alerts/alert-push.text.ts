import type { AlertView } from '#redis';

/** How many changes a push names before "and N more": a lock screen shows about four lines. */
const NAMED = 3;

/** One change in words, as a phone shows it. */
export function describeAlert(alert: AlertView): string {
  switch (alert.kind) {
    case 'entered':
      return `${alert.symbol} entered at #${alert.after?.rank ?? '?'} (${alert.after?.signal ?? 'no signal'})`;
    case 'exited':
      return `${alert.symbol} left the list`;
    case 'signalChanged':
      return `${alert.symbol} turned ${alert.after?.signal ?? '?'} (was ${alert.before?.signal ?? '?'})`;
  }
}

/**
 * The text of one push for the alerts of one watch on one data version: the watch's name as title,
 * the changes (entries first, as they are what people watch for) as body.
 */
export function pushText(alerts: readonly AlertView[]): { title: string; body: string } {
  const order = { entered: 0, signalChanged: 1, exited: 2 } as const;
  const sorted = [...alerts].sort(
    (a, b) => order[a.kind] - order[b.kind] || (a.after?.rank ?? 999) - (b.after?.rank ?? 999),
  );
  const named = sorted.slice(0, NAMED).map(describeAlert);
  const rest = sorted.length - named.length;
  return {
    title: alerts[0]!.watchName,
    body: rest > 0 ? `${named.join('; ')}; and ${rest} more` : named.join('; '),
  };
}
