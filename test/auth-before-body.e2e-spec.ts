import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

const FAILURES_PER_WINDOW = 5;
const MEGABYTE = 1024 * 1024;

/**
 * Sends the head of a POST announcing `length` bytes and only its first KiB, then waits for the
 * answer: one that arrives proves the server did not wait for (read) the rest of the body.
 */
function answerBeforeBody(url: string, headers: Record<string, string>, length: number) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; head: string; bodySent: number }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const sent = 1024;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer while the body was still unsent: the server waited for it'));
    }, 10_000);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      const head = received.slice(0, end);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, bodySent: sent });
    });
    socket.on('connect', () => {
      const lines = Object.entries({
        Host: `${hostname}:${port}`,
        'Content-Type': 'application/json',
        'Content-Length': String(length),
        ...headers,
      }).map(([k, v]) => `${k}: ${v}`);
      socket.write(`POST /v1/predict HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      socket.write(`{"text":"${'x'.repeat(sent - 10)}`);
    });
  });
}

describe('authentication before the body', () => {
  const stack = useStack({
    api: { RATE_LIMIT_AUTH_FAILURES: String(FAILURES_PER_WINDOW) },
    keys: { predictor: 'read,predict' },
  });
  const guess = () => `msk_GUESSxxx_${'g'.repeat(42)}${Math.floor(Math.random() * 10)}`;

  it('refuses a 1 MB body without a key, or with an unknown one, before reading it', async () => {
    const unknown = `msk_NOPE1234_${'n'.repeat(43)}`;
    for (const headers of [{}, { 'X-API-Key': unknown }] as Record<string, string>[]) {
      const answer = await answerBeforeBody(stack.api.url, headers, MEGABYTE);
      assert.equal(answer.status, 401, answer.head);
      assert.match(answer.head, /content-type: application\/problem\+json/i);
      assert.match(answer.head, /connection: close/i, 'the unread body is not drained');
      assert.ok(answer.bodySent < MEGABYTE / 100, 'answered with 99 % of the body unsent');
    }
  });

  it('counts unknown keys per address: past the limit 429 without a lookup, while a key in use keeps working', async () => {
    const known = stack.keys.predictor;
    assert.equal((await stack.call('/v1/model/info', { key: known })).status, 200);
    // The two unknown keys of the previous test already count.
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_WINDOW + 2; i++)
      statuses.push((await stack.call('/v1/model/info', { key: guess() })).status);
    assert.ok(statuses.includes(401) && statuses.at(-1) === 429, statuses.join(','));
    const refused = await stack.call('/v1/model/info', { key: guess() });
    assertProblem(refused, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal((await stack.call('/v1/model/info', { key: known })).status, 200);
  });
});
