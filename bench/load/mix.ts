/**
 * The traffic of `npm run bench:load`: what the iOS app sends, endpoint by endpoint, at rates that
 * keep the proportions of a browsing session (lists and details most, then analyses and sentiment,
 * scans least, most of them presets someone ran already and the cache answers).
 *
 * Scan bodies carry this run's nonce in accountSize, so that "uncached" is never answered by a
 * result stored by an earlier run, and the cached presets are computed (and owned by the bench's
 * key) while priming, before anything is measured.
 */
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mulberry32 } from '#random';
import type { Call, Target } from '../kit/http-client.js';
import type { Endpoint } from '../kit/open-loop.js';

/**
 * Requests per second of each endpoint at scale 1 (118 in all); env LOAD_RATES=name:rate,…
 * overrides some. Found by trying: about a fifth of where the host saturates on a quiet machine, so
 * the mixed phase shows the latencies of a comfortable load and the step load has room to climb.
 */
export const DEFAULT_RATES = {
  list: 20,
  detail: 40,
  analysis: 12,
  predict: 30,
  batch: 1,
  scanCached: 6,
  scanUncached: 0.6,
  scanGet: 8,
} as const;
export type RateName = keyof typeof DEFAULT_RATES;

export interface Catalog {
  /** The TLS version Nginx negotiated with this client. */
  tls: string;
  /** Active symbols with at least two years of bars (an analysis at any asOf below has enough history). */
  symbols: string[];
  /** `nextCursor`s of first pages: the app's "load more". */
  cursors: string[];
  /** Financial headlines (data/sentiment/sent_valid.csv). */
  texts: string[];
}

/** Dates for point-in-time analyses and scans (the embedded data ends 2018-02-07). */
const AS_OF = ['2017-06-30', '2017-09-29', '2017-12-29', '2018-01-31'];
const SECTORS = [
  'technology',
  'Health Care',
  'Financials',
  'Energy',
  'Industrials',
  'Utilities',
  'Consumer Staples',
];
const PROFILES = ['balanced', 'balanced', 'conservative', 'aggressive'];
const LISTS = [
  '/v1/items?limit=50',
  '/v1/items?sector=technology&limit=50',
  '/v1/items?sector=Health%20Care&limit=20',
  '/v1/items?q=bank&limit=20',
  '/v1/items?sector=energy',
  '/v1/items?limit=200',
];
const BATCH_SIZE = 32;
/** The endpoint whose latency is a whole scan's run: judged apart from the interactive requests. */
export const NEW_SCAN = 'POST /v1/scans?wait=30 (new, to completion)';

/** One JSON request through Nginx (setup and priming only; the measured traffic uses OpenLoop). */
export function request<T>(
  target: Target,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T; tls: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.base.hostname,
        servername: target.servername,
        port: target.base.port,
        agent: target.agent as https.Agent,
        method,
        path,
        // Setup reads JSON as it comes: no compression here, whatever the measured traffic asks for.
        headers: {
          ...target.headers,
          'accept-encoding': 'identity',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        timeout: 60_000,
      },
      (res: http.IncomingMessage) => {
        // Read now: once the answer ends, the socket goes back to the agent and leaves the response.
        const tls = (res.socket as TLSSocket).getProtocol() ?? '?';
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as T, tls });
          } catch {
            reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

interface ItemsPage {
  data: { symbol: string; firstBarDate: string | null }[];
  nextCursor: string | null;
}

/** Symbols, cursors and texts, read through the api itself (the same data the app sees). */
export async function loadCatalog(target: Target, texts: string[]): Promise<Catalog> {
  const symbols: string[] = [];
  let cursor: string | null = null;
  let tls = '?';
  do {
    const page: { status: number; json: ItemsPage; tls: string } = await request<ItemsPage>(
      target,
      'GET',
      `/v1/items?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200)
      throw new Error(`GET /v1/items answered ${page.status}: ${JSON.stringify(page.json)}`);
    for (const item of page.json.data)
      if (item.firstBarDate && item.firstBarDate <= '2015-06-30') symbols.push(item.symbol);
    cursor = page.json.nextCursor;
    tls = page.tls;
  } while (cursor);
  const cursors: string[] = [];
  for (const path of LISTS) {
    const { json } = await request<ItemsPage>(target, 'GET', path);
    if (json.nextCursor) cursors.push(`${path}&cursor=${encodeURIComponent(json.nextCursor)}`);
  }
  if (symbols.length < 100)
    throw new Error(
      `only ${symbols.length} symbols with enough history: is the embedded data imported?`,
    );
  return { tls, symbols, cursors, texts: texts.filter((t) => t.length <= 2000) };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** accountSize values unique to this run: seconds-based nonce × 10,000 + a counter below 10,000. */
export function scanNonce(): number {
  return 10_000 + (Math.floor(Date.now() / 1000) % 50_000) * 10_000;
}

/** The presets the app's users run again and again: 6 bodies, computed while priming. */
export function cachedBodies(nonce: number): Record<string, unknown>[] {
  return [
    { accountSize: nonce + 9_990 },
    { accountSize: nonce + 9_991, sectors: ['technology'] },
    { accountSize: nonce + 9_992, profile: 'conservative' },
    { accountSize: nonce + 9_993, profile: 'aggressive', maxSymbols: 50 },
    { accountSize: nonce + 9_994, sectors: ['Health Care', 'Financials'] },
    { accountSize: nonce + 9_995, minTechRating: 70 },
  ];
}

/** A scan nobody ran: its own filters and rating threshold, sometimes point in time. */
function uncachedBody(nonce: number, k: number, random: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const body: Record<string, unknown> = {
    accountSize: nonce + (k % 9_000),
    minTechRating: Math.round((40 + random() * 35) * 2) / 2,
    profile: pick(PROFILES),
  };
  if (random() < 0.5) body.sectors = [...new Set([pick(SECTORS), pick(SECTORS)])];
  if (random() < 0.3) body.asOf = pick(AS_OF);
  if (random() < 0.2) body.maxSymbols = 50;
  return body;
}

export interface ScanReply {
  id?: string;
  status?: string;
  cached?: boolean;
}

/** A scan answer is right when it is the completed scan, from the cache exactly when expected. */
const scanCheck =
  (expectCached: boolean, onId: (id: string) => void) =>
  (_status: number, body: string): string | null => {
    const scan = JSON.parse(body) as ScanReply;
    if (scan.status !== 'completed') return `scan ${scan.status ?? 'without status'} after ?wait`;
    if (scan.cached !== expectCached)
      return expectCached ? 'computed, expected cached' : 'cached, expected computed';
    if (scan.id) onId(scan.id);
    return null;
  };

/**
 * The endpoints at `rates`. `scanIds` (the primed presets' ids) grows with every uncached scan
 * answered: GET /v1/scans/{id} re-reads what this key ran, as the app does after a reconnect.
 */
export function buildMix(
  catalog: Catalog,
  rates: Record<RateName, number>,
  nonce: number,
  scanIds: string[],
  seed = 7,
): Endpoint[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const symbol = () => pick(catalog.symbols);
  const cached = cachedBodies(nonce).map(json);
  const get = (path: string): Call => ({ method: 'GET', path });
  const post = (path: string, body: Buffer): Call => ({ method: 'POST', path, body });
  const all: (Endpoint & { key: RateName })[] = [
    {
      key: 'list',
      name: 'GET /v1/items (lists, next pages)',
      rate: rates.list,
      timeoutMs: 10_000,
      next: (k) => get(k % 4 === 3 && catalog.cursors.length ? pick(catalog.cursors) : pick(LISTS)),
    },
    {
      key: 'detail',
      name: 'GET /v1/items/{symbol}',
      rate: rates.detail,
      timeoutMs: 10_000,
      next: () => get(`/v1/items/${symbol()}`),
    },
    {
      key: 'analysis',
      name: 'GET /v1/items/{symbol}/analysis',
      rate: rates.analysis,
      timeoutMs: 10_000,
      // One in four point in time; the rest on the latest bar (what the detail screen shows).
      next: (k) =>
        get(`/v1/items/${symbol()}/analysis${k % 4 === 0 ? `?asOf=${pick(AS_OF)}` : ''}`),
    },
    {
      key: 'predict',
      name: 'POST /v1/predict',
      rate: rates.predict,
      timeoutMs: 10_000,
      next: () => post('/v1/predict', json({ text: pick(catalog.texts) })),
    },
    {
      key: 'batch',
      name: `POST /v1/predict/batch (${BATCH_SIZE} texts)`,
      rate: rates.batch,
      timeoutMs: 10_000,
      next: () =>
        post(
          '/v1/predict/batch',
          json({ texts: Array.from({ length: BATCH_SIZE }, () => pick(catalog.texts)) }),
        ),
    },
    {
      key: 'scanCached',
      name: 'POST /v1/scans (preset, cached)',
      rate: rates.scanCached,
      timeoutMs: 35_000,
      next: (k) => post('/v1/scans?wait=30', cached[k % cached.length]!),
      check: scanCheck(true, () => {}),
    },
    {
      key: 'scanUncached',
      name: NEW_SCAN,
      rate: rates.scanUncached,
      // ?wait holds the answer up to 30 s; past that the app would poll, here it is an error.
      timeoutMs: 35_000,
      next: (k) => post('/v1/scans?wait=30', json(uncachedBody(nonce, k, random))),
      check: scanCheck(false, (id) => scanIds.push(id)),
    },
    {
      key: 'scanGet',
      name: 'GET /v1/scans/{id}',
      rate: rates.scanGet,
      timeoutMs: 10_000,
      next: (k) => get(`/v1/scans/${scanIds[k % scanIds.length]}`),
    },
  ];
  return all.filter((e) => e.rate > 0).map(({ key: _key, ...e }) => e);
}

/** DEFAULT_RATES with LOAD_RATES=name:rate,… applied. */
export function ratesFrom(spec: string | undefined): Record<RateName, number> {
  const rates: Record<RateName, number> = { ...DEFAULT_RATES };
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [name, value] = part.split(':');
    if (!name || !(name in rates) || !(Number(value) >= 0))
      throw new Error(`LOAD_RATES: bad entry "${part}" (names: ${Object.keys(rates).join(', ')})`);
    rates[name as RateName] = Number(value);
  }
  return rates;
}
