/**
 * The one HTTP(S) request of the load generators: keep-alive agent, bodies encoded before the run
 * (on a 2-core machine the generator shares the CPU with the servers, so it must cost little), the
 * answer read to its end so that the socket goes back to the pool.
 */
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  /** Pre-encoded JSON: encoding during the run would cost the generator CPU the servers need. */
  body?: Buffer;
}

export interface Target {
  /** Scheme, address and port; for HTTPS the agent carries the CA to trust. */
  base: URL;
  /** Certificate name to expect (SNI) when `base` is an address, e.g. "localhost" for 127.0.0.1. */
  servername?: string;
  agent: http.Agent | https.Agent;
  /** Sent with every request, e.g. X-API-Key; with accept-encoding: gzip, bodies are decompressed. */
  headers: Record<string, string>;
}

export interface Reply {
  status: number;
  /** The decompressed body, or '' when it was not kept. */
  body: string;
}

/** The request had no complete answer within its time limit (and was destroyed). */
export class RequestTimeout extends Error {}

/**
 * One request; resolves with any status, rejects on socket errors and, after `timeoutMs` from the
 * send, with RequestTimeout. `keepBody: false` reads the answer without keeping it.
 */
export function send(
  target: Target,
  call: Call,
  timeoutMs: number,
  keepBody = true,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    // Once timed out, whatever error the destroyed socket reports is the timeout.
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(timedOut ? new RequestTimeout(`> ${timeoutMs} ms`) : e);
    };
    const headers: Record<string, string | number> = { ...target.headers };
    if (call.body)
      Object.assign(headers, {
        'content-type': 'application/json',
        'content-length': call.body.length,
      });
    const options = {
      agent: target.agent,
      host: target.base.hostname,
      port: target.base.port,
      servername: target.servername,
      method: call.method,
      path: call.path,
      headers,
    };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] | null = keepBody ? [] : null;
      res.on('data', (c: Buffer) => chunks?.push(c));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        let raw = chunks ? Buffer.concat(chunks) : Buffer.alloc(0);
        if (chunks && res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        resolve({ status: res.statusCode ?? 0, body: raw.toString('utf8') });
      });
    };
    const req =
      target.base.protocol === 'https:'
        ? https.request(options, onResponse)
        : http.request(options, onResponse);
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new RequestTimeout(`> ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', fail);
    req.end(call.body);
  });
}
