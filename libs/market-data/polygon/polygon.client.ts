/**
 * A small client for Polygon.io's grouped daily aggregates
 * (`GET /v2/aggs/grouped/locale/us/market/stocks/{date}`): one request returns the daily bar of
 * every US stock for one trading day. Uses the global fetch; retries 429 (honouring Retry-After),
 * 5xx, timeouts and network errors with exponential backoff and full jitter, a bounded number of
 * times. A body that does not have the documented shape fails at once with
 * {@link PolygonMalformedResponseError}: retrying would only fetch the same bad body again.
 */

/** One stock's daily bar for the requested day, prices in USD, volume in shares. */
export interface PolygonDailyBar {
  symbol: string;
  /** The requested trading day, `YYYY-MM-DD`. */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Anything that can answer "the grouped daily bars of this day" (the client, or a fake in tests). */
export interface GroupedDailySource {
  groupedDaily(date: string): Promise<PolygonDailyBar[]>;
}

export interface PolygonRetryOptions {
  /** Total attempts per request, the first one included. */
  attempts: number;
  /** Backoff before retry n (1-based) is a random delay in [0, baseDelayMs·2^(n−1)], capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is clamped to it, so a confused server cannot park the job for hours. */
  maxRetryAfterMs: number;
}

export interface PolygonClientOptions {
  apiKey: string;
  /** e.g. `https://api.polygon.io`; tests point it at a local fake server. */
  baseUrl: string;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  retry?: Partial<PolygonRetryOptions>;
  /** Injected in unit specs; default: the global fetch. */
  fetch?: typeof fetch;
  /** Injected in unit specs (no real waiting); default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected in unit specs for a fixed jitter; default: Math.random. */
  random?: () => number;
  /** Called before each retry, for logs. */
  onRetry?: (event: { date: string; attempt: number; delayMs: number; reason: string }) => void;
}

export const DEFAULT_RETRY: PolygonRetryOptions = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};
const DEFAULT_TIMEOUT_MS = 15_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The response body does not have the documented shape. Never retried. */
export class PolygonMalformedResponseError extends Error {
  constructor(
    readonly date: string,
    detail: string,
  ) {
    super(`Polygon grouped daily for ${date}: malformed response body: ${detail}`);
    this.name = 'PolygonMalformedResponseError';
  }
}

/** An HTTP failure: retryable ones (429, 5xx) only after the attempts ran out; others (401, 403, 404) at once. */
export class PolygonHttpError extends Error {
  constructor(
    readonly date: string,
    readonly status: number,
    readonly retryable: boolean,
    detail: string,
    readonly attempts: number,
  ) {
    super(
      `Polygon grouped daily for ${date}: HTTP ${status}${detail ? ` (${detail})` : ''} after ${attempts} attempt(s)`,
    );
    this.name = 'PolygonHttpError';
  }
}

/** Timeouts and network errors, after the attempts ran out. */
export class PolygonUnavailableError extends Error {
  constructor(
    readonly date: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `Polygon grouped daily for ${date}: unreachable after ${attempts} attempt(s): ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'PolygonUnavailableError';
  }
}

/** Whether retrying the whole job later could help (false: bad key, malformed body, unknown route). */
export const isPermanentPolygonError = (error: unknown): boolean =>
  error instanceof PolygonMalformedResponseError ||
  (error instanceof PolygonHttpError && !error.retryable);

const isRetryableStatus = (status: number) => status === 429 || status >= 500;

/** Retry-After as delta-seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Full-jitter exponential backoff before retry `retry` (1-based). */
export function backoffDelay(
  retry: number,
  options: PolygonRetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Validates a grouped-daily body and returns its bars. Days without trading (weekends, holidays)
 * come back as `resultsCount: 0` without `results`: an empty list, not an error.
 */
export function parseGroupedDaily(date: string, body: unknown): PolygonDailyBar[] {
  const bad = (detail: string): never => {
    throw new PolygonMalformedResponseError(date, detail);
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return bad('not a JSON object');
  const b = body as Record<string, unknown>;
  // DELAYED is what plans with delayed data get; the bars have the same shape.
  if (b['status'] !== 'OK' && b['status'] !== 'DELAYED') {
    return bad(
      `status ${JSON.stringify(b['status'])}${typeof b['error'] === 'string' ? `: ${b['error']}` : ''}`,
    );
  }
  const results = b['results'];
  if (results === undefined || results === null) {
    if (b['resultsCount'] === undefined || b['resultsCount'] === 0) return [];
    return bad(`resultsCount ${JSON.stringify(b['resultsCount'])} but no results`);
  }
  if (!Array.isArray(results)) return bad('results is not an array');
  return results.map((r: unknown, i) => {
    if (r === null || typeof r !== 'object') return bad(`results[${i}] is not an object`);
    const row = r as Record<string, unknown>;
    const symbol = row['T'];
    if (typeof symbol !== 'string' || symbol === '') return bad(`results[${i}].T is not a ticker`);
    for (const field of ['o', 'h', 'l', 'c', 'v'] as const) {
      if (!isFiniteNumber(row[field]))
        return bad(`results[${i}] (${symbol}).${field} is not a number`);
    }
    return {
      symbol,
      date,
      open: row['o'] as number,
      high: row['h'] as number,
      low: row['l'] as number,
      close: row['c'] as number,
      // Polygon reports volume as a number that can carry a fraction; price_bars holds whole shares.
      volume: Math.round(row['v'] as number),
    };
  });
}

export class PolygonClient implements GroupedDailySource {
  private readonly retry: PolygonRetryOptions;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: PolygonClientOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!Number.isInteger(this.retry.attempts) || this.retry.attempts < 1)
      throw new RangeError('retry.attempts must be a positive integer');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The URL of one day's grouped bars; the API key travels as `apiKey`, Polygon's documented query parameter. */
  urlFor(date: string): string {
    const url = new URL(
      `v2/aggs/grouped/locale/us/market/stocks/${date}`,
      this.options.baseUrl.replace(/\/*$/, '/'),
    );
    url.searchParams.set('adjusted', 'true');
    url.searchParams.set('apiKey', this.options.apiKey);
    return url.toString();
  }

  /** Every US stock's bar for `date` (`YYYY-MM-DD`); an empty list on days without trading. */
  async groupedDaily(date: string): Promise<PolygonDailyBar[]> {
    if (!ISO_DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
    const url = this.urlFor(date);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.attempts;
      let response: Response;
      try {
        response = await this.fetch(url, {
          signal: AbortSignal.timeout(this.timeoutMs),
          headers: { Accept: 'application/json' },
        });
      } catch (error) {
        if (last) throw new PolygonUnavailableError(date, attempt, error);
        await this.wait(
          date,
          attempt,
          backoffDelay(attempt, this.retry, this.random),
          (error as Error).message ?? String(error),
        );
        continue;
      }
      if (response.ok) {
        let text: string;
        try {
          text = await response.text();
        } catch (error) {
          // The connection broke or timed out while the body streamed: a transport failure.
          if (last) throw new PolygonUnavailableError(date, attempt, error);
          await this.wait(
            date,
            attempt,
            backoffDelay(attempt, this.retry, this.random),
            'body read failed',
          );
          continue;
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new PolygonMalformedResponseError(
            date,
            `not JSON: ${JSON.stringify(text.slice(0, 80))}`,
          );
        }
        return parseGroupedDaily(date, body);
      }
      const detail = await errorDetail(response);
      if (!isRetryableStatus(response.status))
        throw new PolygonHttpError(date, response.status, false, detail, attempt);
      if (last) throw new PolygonHttpError(date, response.status, true, detail, attempt);
      const retryAfter =
        response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : null;
      const delay =
        retryAfter !== null
          ? Math.min(retryAfter, this.retry.maxRetryAfterMs)
          : backoffDelay(attempt, this.retry, this.random);
      await this.wait(date, attempt, delay, `HTTP ${response.status}`);
    }
  }

  private async wait(
    date: string,
    attempt: number,
    delayMs: number,
    reason: string,
  ): Promise<void> {
    this.options.onRetry?.({ date, attempt, delayMs, reason });
    await this.sleep(delayMs);
  }
}

/** Polygon's error bodies carry `error` or `message`; never echo more than a line of them. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = body.error ?? body.message;
    if (typeof message === 'string') return message.slice(0, 200);
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200).replace(/\s+/g, ' ').trim();
}
