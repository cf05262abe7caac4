import assert from 'node:assert/strict';
import type { Problem } from './api-types.js';
import { contractViolation } from './openapi-contract.js';

/** An HTTP answer as specs look at it: status, headers and the parsed body. */
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** The JSON body parsed as `T`, the raw text when it is not JSON, undefined when empty. */
  body: T;
}

export type CallInit = RequestInit & {
  /** Sent as X-API-Key. */
  key?: string;
  /** Sent as a JSON body with its Content-Type. */
  json?: unknown;
  /** false: do not hold the answer against docs/openapi.json (it does not come from the api). */
  contract?: false;
};

/**
 * fetch for specs: the body comes back parsed. `T` is what the spec expects on success (a response
 * type of the app, see api-types.ts). Every answer of a documented operation is held against
 * docs/openapi.json (status, content type, body schema): a mismatch throws, naming the route,
 * the status and the schema path that failed.
 */
export async function call<T = unknown>(url: string, init: CallInit = {}): Promise<Reply<T>> {
  const { key, json, contract, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key) headers.set('X-API-Key', key);
  let body = rest.body;
  if (json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(json);
  }
  const res = await fetch(url, { ...rest, headers, body });
  const text = await res.text();
  const violation =
    contract === false
      ? null
      : contractViolation({
          method: rest.method ?? 'GET',
          path: new URL(url).pathname,
          status: res.status,
          contentType: res.headers.get('content-type'),
          text,
        });
  if (violation) throw new Error(`response does not fit docs/openapi.json: ${violation}`);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A problem+json error body (RFC 9457) with the given status; afterwards `res.body` is typed as one. */
export function assertProblem(res: Reply<unknown>, status: number): asserts res is Reply<Problem> {
  assert.equal(
    res.status,
    status,
    `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`,
  );
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = res.body as Partial<Problem>;
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
}
