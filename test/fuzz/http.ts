import http from 'node:http';
import type { Auth, Body, HttpCase, KeyRef } from './cases.js';

/**
 * Sends HTTP fuzz cases over keep-alive sockets exactly as generated (raw path, raw query, raw body
 * bytes, duplicate headers), with the keys and scan ids their symbolic parts stand for.
 */

/** Runtime values the symbolic parts of a case stand for. */
export interface FuzzTarget {
  url: URL;
  agent: http.Agent;
  keys: Record<'admin' | 'read' | 'scan' | 'predict' | 'revoked', string>;
  /** Scan ids created in setup: one by the admin key, one by the scan key. */
  scans: { admin: string; scan: string };
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The server's parser refused the request and dropped the connection while a large body was still being sent. */
  cutOff?: true;
}

function keyText(ref: KeyRef, target: FuzzTarget): string | null {
  switch (ref) {
    case 'none':
      return null;
    case 'unknown':
      return 'msk_Unknown0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    case 'garbage':
      return 'not a key';
    default:
      return target.keys[ref];
  }
}

/** The headers (and query parameter) that present `auth`. */
export function authParts(
  auth: Auth,
  target: FuzzTarget,
): { headers: [string, string][]; query: string } {
  const key = keyText(auth.key, target);
  if (key === null) return { headers: [], query: '' };
  switch (auth.style) {
    case 'x-api-key':
      return { headers: [['X-API-Key', key]], query: '' };
    case 'bearer':
      return { headers: [['Authorization', `Bearer ${key}`]], query: '' };
    case 'bearer-lower':
      return { headers: [['authorization', `bearer   ${key}`]], query: '' };
    case 'padded':
      return { headers: [['X-API-Key', `  ${key}\t`]], query: '' };
    case 'both':
      return {
        headers: [
          ['X-API-Key', key],
          ['Authorization', 'Bearer msk_wrong'],
        ],
        query: '',
      };
    case 'duplicate':
      return {
        headers: [
          ['X-API-Key', key],
          ['X-API-Key', key],
        ],
        query: '',
      };
    case 'basic':
      return {
        headers: [['Authorization', `Basic ${Buffer.from(`${key}:`).toString('base64')}`]],
        query: '',
      };
    case 'bearer-empty':
      return { headers: [['Authorization', 'Bearer ']], query: '' };
    case 'empty':
      return { headers: [['X-API-Key', '']], query: '' };
    case 'query':
      return { headers: [], query: `apiKey=${encodeURIComponent(key)}` };
    case 'long':
      return { headers: [['X-API-Key', key + 'x'.repeat(5000)]], query: '' };
  }
}

export function materialize(body: Body): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'text':
      return Buffer.from(body.text, 'utf8');
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'repeat':
      return Buffer.from(body.parts.map(([s, n]) => s.repeat(n)).join(''), 'utf8');
  }
}

/** Replaces the symbolic scan ids of a generated text. */
export const withScanIds = (text: string, target: FuzzTarget): string =>
  text.replaceAll('$SCAN_ADMIN', target.scans.admin).replaceAll('$SCAN_SCANKEY', target.scans.scan);

/** Header pairs as Node wants them: a repeated name becomes an array, sent as repeated lines. */
export function headerObject(pairs: [string, string][]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    const prior = headers[lower];
    headers[lower] =
      prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return headers;
}

const TIMEOUT_MS = 15_000;

const STANDARD_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
  'PURGE',
]);

/** Bodies over this size may be refused (413) before the server has read them all. */
const LARGE_BODY_BYTES = 64 * 1024;

/**
 * Requests the server may answer and then drop the connection for: Node's HTTP parser rejects a
 * header section over 16 KiB or a method it does not know, and a body over the limit gets its 413
 * before it is read (the server then closes, and a client still uploading may see EPIPE or a reset
 * before the answer: a race of HTTP/1.1 without Expect: 100-continue, seen once in 12,559 cases).
 * These never go over a pooled socket.
 */
function mayBreakConnection(
  c: HttpCase,
  headers: Record<string, string | string[]>,
  path: string,
  bodyBytes: number,
): boolean {
  if (bodyBytes > LARGE_BODY_BYTES) return true;
  const headBytes =
    path.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  return headBytes > 8000 || !STANDARD_METHODS.has(c.method);
}

function request(options: http.RequestOptions, body: Buffer | undefined): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(options, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no response within ${TIMEOUT_MS} ms`)));
    req.on('error', (error: Error & { reused?: boolean }) => {
      // A server that answers 413 before reading a huge body may reset the socket we still write to.
      if (answered) return;
      error.reused = req.reusedSocket;
      reject(error);
    });
    req.end(body);
  });
}

/** Sends one case; rejects only when no response arrives at all. */
export async function send(c: HttpCase, target: FuzzTarget): Promise<HttpResult> {
  const auth = authParts(c.auth, target);
  const query = [c.query, auth.query].filter(Boolean).join('&');
  const headers = headerObject([...auth.headers, ...c.headers]);
  const body = materialize(c.body);
  // Node sends a GET or DELETE body without framing unless told its length.
  if (body !== undefined) headers['content-length'] = String(body.length);
  const path = withScanIds(c.path, target) + (query ? `?${query}` : '');
  const options = {
    hostname: target.url.hostname,
    port: target.url.port,
    method: c.method,
    path,
    headers,
  };
  const fresh = mayBreakConnection(c, headers, path, body?.length ?? 0);
  try {
    return await request({ ...options, agent: fresh ? false : target.agent }, body);
  } catch (error) {
    const { code, reused } = error as { code?: string; reused?: boolean };
    // The server answers a request it refuses (400/431/413) and drops the socket at once; a client
    // still uploading a large body may see the reset before the answer. Expected, not a bug.
    if (
      fresh &&
      (body?.length ?? 0) > LARGE_BODY_BYTES &&
      (code === 'ECONNRESET' || code === 'EPIPE')
    )
      return { status: 0, headers: {}, body: Buffer.alloc(0), cutOff: true };
    // A pooled keep-alive socket the server closed in the meantime: retry once on a new connection.
    if (!reused) throw error;
    return request({ ...options, agent: false }, body);
  }
}
