/**
 * Which days to ask Polygon for. Dates are exchange-calendar `YYYY-MM-DD` strings; "today" is
 * the date in New York, where US equities trade, whatever the server's time zone.
 */

const EXCHANGE_TIME_ZONE = 'America/New_York';

/**
 * Minutes after midnight (New York) from which today's bar is requested: the regular session
 * closes at 16:00 and the daily aggregates are published within minutes. The scheduled job runs at
 * 16:30, comfortably after this.
 */
export const SESSION_DATA_READY_MINUTES = 16 * 60 + 15;

/**
 * A stored bar this recent is fetched again: a bar fetched right after the close can still change
 * (after-hours volume, corrections), and re-fetching costs one request and writes only what differs.
 * Older bars are final, so a long catch-up does not re-read them.
 */
export const REFETCH_WINDOW_DAYS = 7;

export interface ExchangeClock {
  /** Today's date in New York. */
  today: string;
  /** Minutes since midnight in New York. */
  minutes: number;
}

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function exchangeClock(now: Date): ExchangeClock {
  const parts = Object.fromEntries(formatter.formatToParts(now).map((p) => [p.type, p.value]));
  return {
    today: `${parts['year']}-${parts['month']}-${parts['day']}`,
    minutes: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

/** `date` shifted by `days` calendar days (UTC arithmetic on a date without a time zone). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const isWeekday = (date: string): boolean => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};

export interface FetchPlan {
  /** Weekdays to request, oldest first, at most `maxDays`. */
  days: string[];
  /** Weekdays left for later runs. */
  backlog: number;
}

/**
 * The weekdays after `lastBarDate` up to today (once its session data is ready) or yesterday,
 * oldest first, capped at `maxDays`; a recent `lastBarDate` itself is included again (see
 * {@link REFETCH_WINDOW_DAYS}). Exchange holidays are not known here: they come back empty and are
 * skipped. Nothing to do on an empty database (import the embedded data first).
 */
export function daysToFetch(input: {
  lastBarDate: string | null;
  clock: ExchangeClock;
  until?: string;
  maxDays: number;
}): FetchPlan {
  const { lastBarDate, clock, maxDays } = input;
  if (lastBarDate === null) return { days: [], backlog: 0 };
  const latestReady =
    clock.minutes >= SESSION_DATA_READY_MINUTES ? clock.today : addDays(clock.today, -1);
  const end = input.until !== undefined && input.until < latestReady ? input.until : latestReady;
  const start =
    lastBarDate >= addDays(clock.today, -REFETCH_WINDOW_DAYS)
      ? lastBarDate
      : addDays(lastBarDate, 1);
  const all: string[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) if (isWeekday(day)) all.push(day);
  return { days: all.slice(0, Math.max(0, maxDays)), backlog: Math.max(0, all.length - maxDays) };
}
