import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isPermanentPolygonError,
  parseGroupedDaily,
  parseRetryAfter,
  PolygonClient,
  PolygonHttpError,
  PolygonMalformedResponseError,
  PolygonUnavailableError,
} from './polygon.client.js';

const DAY = '2018-02-08';
const okBody = {
  status: 'OK',
  queryCount: 2,
  resultsCount: 2,
  adjusted: true,
  results: [
    {
      T: 'AAPL',
      o: 160.29,
      h: 161,
      l: 155.03,
      c: 155.15,
      v: 54390516.4,
      vw: 157.6,
      t: 1518123600000,
      n: 412345,
    },
    {
      T: 'MSFT',
      o: 89.71,
      h: 89.88,
      l: 84.76,
      c: 85.01,
      v: 55628700,
      vw: 87.1,
      t: 1518123600000,
      n: 301234,
    },
  ],
};

type Reply =
  { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script, one reply per call, and records the URLs it was called with. */
function scriptedFetch(replies: Reply[]) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    calls.push(String(input));
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    const text = reply.raw ?? JSON.stringify(reply.body ?? {});
    return new Response(text, { status: reply.status, headers: reply.headers });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function client(replies: Reply[], retry: Partial<typeof DEFAULT_RETRY> = {}) {
  const { fetch, calls } = scriptedFetch(replies);
  const sleeps: number[] = [];
  const retries: string[] = [];
  const c = new PolygonClient({
    apiKey: 'KEY',
    baseUrl: 'http://polygon.test',
    fetch,
    retry,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    onRetry: (e) => retries.push(e.reason),
  });
  return { client: c, calls, sleeps, retries };
}

describe('PolygonClient.groupedDaily', () => {
  it('asks for the adjusted grouped daily bars of the day with the API key', async () => {
    const t = client([{ status: 200, body: okBody }]);
    await t.client.groupedDaily(DAY);
    const url = new URL(t.calls[0]!);
    assert.equal(url.pathname, `/v2/aggs/grouped/locale/us/market/stocks/${DAY}`);
    assert.equal(url.searchParams.get('adjusted'), 'true');
    assert.equal(url.searchParams.get('apiKey'), 'KEY');
  });

  it('returns one bar per result, dated with the requested day and with whole-share volume', async () => {
    const bars = await client([{ status: 200, body: okBody }]).client.groupedDaily(DAY);
    assert.deepEqual(bars[0], {
      symbol: 'AAPL',
      date: DAY,
      open: 160.29,
      high: 161,
      low: 155.03,
      close: 155.15,
      volume: 54390516,
    });
    assert.equal(bars.length, 2);
  });

  it('returns no bars for a day without trading (resultsCount 0, no results)', async () => {
    const body = { status: 'OK', queryCount: 0, resultsCount: 0, adjusted: true };
    assert.deepEqual(await client([{ status: 200, body }]).client.groupedDaily('2018-02-10'), []);
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const t = client([
      { status: 429, body: { status: 'ERROR' }, headers: { 'Retry-After': '2' } },
      { status: 200, body: okBody },
    ]);
    assert.equal((await t.client.groupedDaily(DAY)).length, 2);
    assert.deepEqual(t.sleeps, [2000]);
    assert.deepEqual(t.retries, ['HTTP 429']);
  });

  it('backs off exponentially with jitter on 5xx and succeeds on the third attempt', async () => {
    const t = client([{ status: 500 }, { status: 502 }, { status: 200, body: okBody }]);
    assert.equal((await t.client.groupedDaily(DAY)).length, 2);
    // random() = 0.5: half of 1 s, then half of 2 s.
    assert.deepEqual(t.sleeps, [500, 1000]);
    assert.equal(t.calls.length, 3);
  });

  it('gives up after the configured attempts with a retryable HTTP error', async () => {
    const t = client(
      Array.from({ length: 3 }, () => ({
        status: 503,
        body: { status: 'ERROR', error: 'maintenance' },
      })),
      { attempts: 3 },
    );
    await assert.rejects(t.client.groupedDaily(DAY), (error: unknown) => {
      assert.ok(error instanceof PolygonHttpError);
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.equal(error.attempts, 3);
      assert.match(error.message, /maintenance/);
      assert.equal(isPermanentPolygonError(error), false);
      return true;
    });
    assert.equal(t.calls.length, 3);
    assert.equal(t.sleeps.length, 2);
  });

  it('does not retry a refused key (401) and reports it as permanent', async () => {
    const t = client([{ status: 401, body: { status: 'ERROR', error: 'Unknown API Key' } }]);
    await assert.rejects(t.client.groupedDaily(DAY), (error: unknown) => {
      assert.ok(error instanceof PolygonHttpError);
      assert.equal(error.retryable, false);
      assert.equal(isPermanentPolygonError(error), true);
      assert.doesNotMatch(error.message, /KEY/, 'the key never appears in an error');
      return true;
    });
    assert.equal(t.calls.length, 1);
  });

  it('retries network errors and ends with PolygonUnavailableError', async () => {
    const t = client([new TypeError('fetch failed'), new TypeError('fetch failed')], {
      attempts: 2,
    });
    await assert.rejects(t.client.groupedDaily(DAY), PolygonUnavailableError);
    assert.equal(t.calls.length, 2);
  });

  it('fails at once, without retrying, on a body that is not JSON', async () => {
    const t = client([
      { status: 200, raw: '<html>Bad Gateway</html>' },
      { status: 200, body: okBody },
    ]);
    await assert.rejects(t.client.groupedDaily(DAY), (error: unknown) => {
      assert.ok(error instanceof PolygonMalformedResponseError);
      assert.match(error.message, /2018-02-08: malformed response body: not JSON/);
      assert.equal(isPermanentPolygonError(error), true);
      return true;
    });
    assert.equal(t.calls.length, 1);
  });

  it('rejects a date that is not YYYY-MM-DD before calling anyone', async () => {
    const t = client([]);
    await assert.rejects(t.client.groupedDaily('2018-2-8'), RangeError);
    assert.equal(t.calls.length, 0);
  });
});

describe('parseGroupedDaily', () => {
  const malformed: [string, unknown, RegExp][] = [
    ['an array', [], /not a JSON object/],
    ['an error status', { status: 'ERROR', error: 'bad things' }, /status "ERROR": bad things/],
    [
      'results missing although resultsCount says 3',
      { status: 'OK', resultsCount: 3 },
      /resultsCount 3 but no results/,
    ],
    [
      'results that are not an array',
      { status: 'OK', resultsCount: 1, results: {} },
      /results is not an array/,
    ],
    [
      'a result without ticker',
      { status: 'OK', results: [{ o: 1, h: 1, l: 1, c: 1, v: 1 }] },
      /results\[0\]\.T/,
    ],
    [
      'a close given as a string',
      { status: 'OK', results: [{ T: 'AAPL', o: 1, h: 1, l: 1, c: '1', v: 1 }] },
      /\(AAPL\)\.c is not a number/,
    ],
  ];
  for (const [what, body, message] of malformed) {
    it(`calls a body with ${what} malformed`, () => {
      assert.throws(
        () => parseGroupedDaily(DAY, body),
        (error: unknown) =>
          error instanceof PolygonMalformedResponseError && message.test(error.message),
      );
    });
  }

  it('accepts DELAYED bodies, which plans with delayed data receive', () => {
    assert.equal(parseGroupedDaily(DAY, { ...okBody, status: 'DELAYED' }).length, 2);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter('1.5'), 1500);
    assert.equal(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
      5000,
    );
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter('soon'), null);
  });

  it('clamps a huge Retry-After to maxRetryAfterMs', async () => {
    const t = client(
      [
        { status: 429, headers: { 'Retry-After': '86400' } },
        { status: 200, body: okBody },
      ],
      { maxRetryAfterMs: 5000 },
    );
    await t.client.groupedDaily(DAY);
    assert.deepEqual(t.sleeps, [5000]);
  });

  it('doubles the backoff ceiling per retry and caps it at maxDelayMs', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, options, () => 1)),
      [1000, 2000, 4000, 5000],
    );
    assert.equal(
      backoffDelay(3, options, () => 0),
      0,
    );
  });
});
