import { GICS_SECTORS, SYNTHETIC_SECTOR } from '#market-data';
import type { Auth, HttpCase, KeyRef, Scope } from './cases.js';
import { contractViolation } from '../support/openapi-contract.js';
import type { HttpResult } from './http.js';
import { POLLUTION_MARK } from './json.js';

/**
 * The properties every answer must have: no 5xx; every 4xx problem+json with a matching status;
 * no 2xx without the route's scope; no injected key in any JSON; well-formed scan requests.
 */

/** What a key is allowed to do, by the style it is sent in (only these styles carry a usable key). */
const USABLE_STYLES = new Set(['x-api-key', 'bearer', 'bearer-lower', 'padded', 'both']);
// No fuzz key is an app key: `install` passes the admin key's scope check, but a key without
// grants registers nothing, so no 2xx may come from POST /v1/installations.
const KEY_SCOPES: Partial<Record<KeyRef, Scope[]>> = {
  admin: ['admin', 'read', 'scan', 'predict'],
  read: ['read'],
  scan: ['scan'],
  predict: ['predict'],
};

export function grantedScopes(auth: Auth): Scope[] {
  return USABLE_STYLES.has(auth.style) ? (KEY_SCOPES[auth.key] ?? []) : [];
}

/** The JSON path of the first key that a pollution payload would have added, if any. */
export function pollutedPath(value: unknown, path = '$'): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pollutedPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (key === POLLUTION_MARK || key === '__proto__') return `${path}.${key}`;
      const found = pollutedPath((value as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const REQUEST_KEYS = [
  'accountSize',
  'asOf',
  'asOfRequested',
  'direction',
  'maxSymbols',
  'minTechRating',
  'profile',
  'riskPct',
  'sectors',
  'symbols',
  'targetRR',
];
const SECTOR_NAMES = new Set<string>([...GICS_SECTORS, SYNTHETIC_SECTOR]);
const inRange = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && v >= min && v <= max;

/** What is wrong with a scan's normalized request (DESIGN §3): only canonical, in-range values. */
export function requestViolations(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(r).sort().join(',');
  if (keys !== REQUEST_KEYS.join(',')) problems.push(`request keys ${keys}`);
  const list = (v: unknown, ok: (x: unknown) => boolean) =>
    v === null || (Array.isArray(v) && v.length > 0 && v.every(ok));
  if (!list(r['sectors'], (x) => SECTOR_NAMES.has(x as string)))
    problems.push(`request.sectors ${JSON.stringify(r['sectors'])}`);
  if (!list(r['symbols'], (x) => typeof x === 'string' && /^[A-Z][A-Z0-9.-]{0,9}$/.test(x)))
    problems.push(`request.symbols ${JSON.stringify(r['symbols'])}`);
  if (!(Number.isInteger(r['maxSymbols']) && inRange(r['maxSymbols'], 1, 500)))
    problems.push(`request.maxSymbols ${String(r['maxSymbols'])}`);
  if (
    !inRange(r['minTechRating'], 0, 100) ||
    !inRange(r['accountSize'], 100, 1e9) ||
    !inRange(r['riskPct'], 0.1, 5) ||
    !inRange(r['targetRR'], 0.1, 20)
  ) {
    problems.push(
      `request numbers ${JSON.stringify([r['minTechRating'], r['accountSize'], r['riskPct'], r['targetRR']])}`,
    );
  }
  if (!['conservative', 'balanced', 'aggressive'].includes(r['profile'] as string))
    problems.push(`request.profile ${JSON.stringify(r['profile'])}`);
  if (!['long', 'short', 'both'].includes(r['direction'] as string))
    problems.push(`request.direction ${JSON.stringify(r['direction'])}`);
  if (
    r['asOfRequested'] !== null &&
    !(typeof r['asOfRequested'] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r['asOfRequested']))
  )
    problems.push(`request.asOfRequested ${JSON.stringify(r['asOfRequested'])}`);
  if (
    r['asOf'] !== null &&
    !(typeof r['asOf'] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r['asOf']))
  )
    problems.push(`request.asOf ${JSON.stringify(r['asOf'])}`);
  return problems;
}

/** Roughly how many bytes the request line and headers take (the key is at most ~5 KB). */
export const headBytes = (c: {
  path?: string;
  query: string;
  headers?: [string, string][];
  auth: Auth;
}): number =>
  (c.path?.length ?? 0) +
  c.query.length +
  (c.headers ?? []).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) +
  (c.auth.style === 'long' ? 5100 : 100);

/**
 * Statuses Node answers from the request head, before any route runs (docs/api.md, Errors): they
 * belong to no operation of docs/openapi.json.
 */
const BEFORE_ROUTING = new Set([408, 417, 431]);

/** Every problem the response has; empty when it satisfies all properties. */
export function httpViolations(c: HttpCase, res: HttpResult): string[] {
  const problems: string[] = [];
  if (res.cutOff) return problems;
  const type = String(res.headers['content-type'] ?? '');
  const text = res.body.toString('utf8');
  // An answer of a documented route fits the document: status, content type, body schema.
  if (!BEFORE_ROUTING.has(res.status)) {
    const drift = contractViolation({
      method: c.method,
      path: c.path,
      status: res.status,
      contentType: type || null,
      text,
    });
    if (drift) problems.push(drift);
  }
  if (res.status >= 500) problems.push(`status ${res.status}`);
  if (res.status >= 400 && res.status < 500) {
    if (!type.startsWith('application/problem+json'))
      problems.push(`${res.status} with content-type "${type}"`);
    else if (c.method !== 'HEAD') {
      let p: Record<string, unknown> | null = null;
      try {
        p = JSON.parse(text) as Record<string, unknown>;
      } catch {
        problems.push(`${res.status} problem body is not JSON`);
      }
      if (p) {
        for (const field of ['type', 'title', 'detail'])
          if (typeof p[field] !== 'string') problems.push(`problem.${field} is not a string`);
        if (p['status'] !== res.status)
          problems.push(`problem.status ${String(p['status'])} ≠ HTTP ${res.status}`);
      }
    }
    if (res.status === 429 && !/^\d+$/.test(String(res.headers['retry-after'] ?? '')))
      problems.push('429 without an integer Retry-After');
  }
  if (res.status >= 200 && res.status < 300) {
    const granted = grantedScopes(c.auth);
    if (c.scope !== null && !granted.includes(c.scope))
      problems.push(`${res.status} for ${c.route} without the "${c.scope}" scope`);
    // The router decodes %-escapes: /%761/items is /v1/items.
    const path = safeDecode(c.path);
    if (granted.length === 0 && (path === '/v1' || path.startsWith('/v1/')))
      problems.push(`${res.status} on ${c.path} without a usable key`);
    if (type.includes('json') && c.method !== 'HEAD') {
      try {
        const body = JSON.parse(text) as Record<string, unknown>;
        const polluted = pollutedPath(body);
        if (polluted) problems.push(`response carries injected key ${polluted}`);
        // A scan resource: its normalized request holds only what normalization may produce.
        if (c.route.includes('/v1/scans') && body['request'] && typeof body['request'] === 'object')
          problems.push(...requestViolations(body['request'] as Record<string, unknown>));
      } catch {
        problems.push(`${res.status} ${type} body is not JSON`);
      }
    }
  }
  // Health and metrics need no key, are never limited and never depend on the request's headers
  // (unless the request head itself is over Node's 16 KiB limit: 431, or it expects what Node cannot: 417).
  if (
    c.route === 'public' &&
    c.method === 'GET' &&
    c.body.kind === 'none' &&
    /^\/(health\/(live|ready)|metrics)$/.test(c.path)
  ) {
    // Node joins repeated Expect headers and accepts any value holding the token 100-continue.
    const expect = c.headers.filter(([k]) => k.toLowerCase() === 'expect').map(([, v]) => v);
    const unmet = expect.length > 0 && !/(?:^|\W)100-continue(?:$|\W)/i.test(expect.join(', '));
    if (headBytes(c) < 8000 && res.status !== (unmet ? 417 : 200))
      problems.push(`${c.path} answered ${res.status}`);
  }
  return problems;
}

/** A short description of a response for failure messages. */
export const describeResponse = (res: HttpResult): string =>
  `HTTP ${res.status} ${String(res.headers['content-type'] ?? '-')} ${JSON.stringify(res.body.subarray(0, 300).toString('utf8'))}`;
