import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Errors Fastify's router raises before any route (and so before Nest's exception filters) runs:
 * a malformed URL or a path parameter over the length limit. They get problem+json like every other
 * error, with the request id.
 */
export function frameworkErrors(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(414, 'A path segment is too long')
      : error.code === 'FST_ERR_BAD_URL'
        ? problem(400, 'Malformed URL')
        : problem(500, 'Internal error');
  void reply
    .status(body.status)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .header('X-Request-Id', request.id)
    .send(JSON.stringify(body));
}

/**
 * Errors Node's HTTP parser raises before there is a request at all (header section over the
 * 16 KiB limit, an unknown method, bytes that are not HTTP). Fastify's default answers them with
 * plain JSON; this answers problem+json and, like the default, drops the connection, whose byte
 * stream can no longer be trusted. Found by the fuzz suite (test/fuzz/fuzz.e2e-spec.ts).
 */
export function clientErrors(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'The request headers are too large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'The request did not arrive in time')
        : problem(400, 'Malformed HTTP request');
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * Node answers an `Expect` header other than `100-continue` with a bare 417 (no body) before Fastify
 * sees the request; this answers problem+json instead. Wired to the server's 'checkExpectation'
 * event (found by the fuzz suite).
 */
export function expectationFailed(_request: IncomingMessage, response: ServerResponse): void {
  const text = JSON.stringify(problem(417, 'Only "Expect: 100-continue" is supported'));
  response
    .writeHead(417, {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(text),
    })
    .end(text);
}
