import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { clientErrors, expectationFailed } from './framework-errors.js';

/** What clientErrors writes to a socket, and whether it then destroys it. */
function answer(code: string): { raw: string; destroyed: boolean } {
  const socket = {
    raw: '',
    destroyed: false,
    writable: true,
    write: (s: string) => (socket.raw += s),
    destroy: () => (socket.destroyed = true),
  };
  clientErrors(Object.assign(new Error(code), { code }), socket as unknown as Duplex);
  return socket;
}

describe('clientErrors (Node HTTP parser errors, found by the fuzz suite)', () => {
  it('answers a header section over the limit with 431 problem+json', () => {
    const { raw, destroyed } = answer('HPE_HEADER_OVERFLOW');
    assert.equal(destroyed, true);
    assert.match(raw, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(raw, /\r\nContent-Type: application\/problem\+json\r\n/);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    assert.equal(body.status, 431);
    assert.equal(body.title, 'Request Header Fields Too Large');
    assert.equal(
      Buffer.byteLength(JSON.stringify(body)),
      Number(/Content-Length: (\d+)/.exec(raw)![1]),
    );
  });

  it('answers any other parse error (unknown method, garbage) with 400 problem+json', () => {
    const { raw } = answer('HPE_INVALID_METHOD');
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal(
      JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).type,
      'urn:market-scanner:problem:bad-request',
    );
  });

  it('writes nothing on a connection the client already reset', () => {
    const { raw, destroyed } = answer('ECONNRESET');
    assert.equal(raw, '');
    assert.equal(destroyed, false);
  });
});

describe('expectationFailed (an Expect header other than 100-continue, found by the fuzz suite)', () => {
  it('answers 417 problem+json where Node would send an empty 417', () => {
    const sent: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
    const response = {
      writeHead: (status: number, headers: Record<string, unknown>) =>
        Object.assign(sent, { status, headers }) && response,
      end: (body: string) => (sent.body = body),
    };
    expectationFailed({} as IncomingMessage, response as unknown as ServerResponse);
    assert.equal(sent.status, 417);
    assert.equal(sent.headers?.['Content-Type'], 'application/problem+json');
    assert.deepEqual(JSON.parse(sent.body!), {
      type: 'urn:market-scanner:problem:expectation-failed',
      title: 'Expectation Failed',
      status: 417,
      detail: 'Only "Expect: 100-continue" is supported',
    });
  });
});
