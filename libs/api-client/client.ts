import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

/** The REST client: openapi-fetch typed by the paths of docs/openapi.json. */
export type ScannerClient = Client<paths>;

export interface ScannerClientOptions {
  /** The api's origin, e.g. `http://127.0.0.1:3000` (no `/v1`: the paths carry it). */
  baseUrl: string;
  /** An API key or an installation token; sent as `X-API-Key` on every request. */
  apiKey: string;
  /** Another fetch (tests, proxies); globalThis.fetch otherwise. */
  fetch?: ClientOptions['fetch'];
}

/**
 * A typed client for the Market Scanner REST API. Every call answers `{data, error, response}`:
 * `data` typed by the operation's 2xx schema, `error` by its problem+json schema (RFC 9457), so a
 * caller branches on `error` (or `response.status`) and never parses bodies by hand.
 *
 * ```ts
 * const api = createScannerClient({ baseUrl, apiKey });
 * const { data, error } = await api.POST('/v1/scans', { body: { maxSymbols: 10 } });
 * ```
 */
export function createScannerClient(options: ScannerClientOptions): ScannerClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { 'X-API-Key': options.apiKey },
    fetch: options.fetch,
  });
}

/**
 * The WebSocket URL of the api at `baseUrl`: the same host and port, ws(s) for http(s), path
 * /v1/ws (DESIGN §4; docs/asyncapi.yaml).
 */
export function webSocketUrl(baseUrl: string): string {
  const url = new URL('/v1/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Seconds to wait before retrying a 429 or 503, from its `Retry-After` header (delta-seconds or an
 * HTTP date); `fallback` when the header is absent or unreadable.
 */
export function retryAfterSeconds(response: Response, fallback = 1): number {
  const header = response.headers.get('Retry-After');
  if (header === null) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallback : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
