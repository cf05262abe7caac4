// The committed client types are the committed document's: regenerating (in memory, offline) must
// give the file byte for byte, or a document change has shipped without its client.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { DOCUMENT_PATH, SCHEMA_PATH, generateSchema } from './generate.js';
import { parseServerFrame, webSocketUrl, retryAfterSeconds } from './index.js';

// Compiled to dist/libs/api-client/: the repository root is three up.
const ROOT = new URL('../../../', import.meta.url);

describe('the generated client', () => {
  it('is what openapi-typescript makes of docs/openapi.json today', async () => {
    const document = await readFile(new URL(DOCUMENT_PATH, ROOT), 'utf8');
    const committed = await readFile(new URL(SCHEMA_PATH, ROOT), 'utf8');
    const fresh = await generateSchema(document, ROOT);
    if (fresh === committed) return;
    const lines = [fresh.split('\n'), committed.split('\n')];
    const at = lines[0].findIndex((line, i) => line !== lines[1][i]);
    assert.fail(
      `${SCHEMA_PATH} is stale against ${DOCUMENT_PATH}: run \`npm run client:generate\` and ` +
        `commit the result (first difference at line ${at + 1}: ` +
        `generated ${JSON.stringify(lines[0][at])}, committed ${JSON.stringify(lines[1][at])})`,
    );
  });
});

describe('the client helpers', () => {
  it('derives the WebSocket URL from the REST base URL', () => {
    assert.equal(webSocketUrl('http://127.0.0.1:3000'), 'ws://127.0.0.1:3000/v1/ws');
    assert.equal(webSocketUrl('https://scanner.example/'), 'wss://scanner.example/v1/ws');
  });

  it('reads Retry-After as seconds or as an HTTP date, with a fallback', () => {
    const answer = (value?: string) =>
      new Response(null, { status: 429, headers: value ? { 'Retry-After': value } : {} });
    assert.equal(retryAfterSeconds(answer('7')), 7);
    assert.equal(retryAfterSeconds(answer(), 2), 2);
    assert.equal(retryAfterSeconds(answer('soon'), 3), 3);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    assert.ok(retryAfterSeconds(answer(inTenSeconds)) <= 10);
    assert.equal(retryAfterSeconds(answer('Thu, 01 Jan 1970 00:00:00 GMT')), 0);
  });

  it('accepts server frames by type and refuses anything else', () => {
    const error = parseServerFrame('{"type":"error","message":"bad","id":"a1"}');
    assert.deepEqual(error, { type: 'error', message: 'bad', id: 'a1' });
    assert.throws(() => parseServerFrame('{"type":"dance"}'), TypeError);
    assert.throws(() => parseServerFrame('[]'), TypeError);
    assert.throws(() => parseServerFrame('null'), TypeError);
  });
});
