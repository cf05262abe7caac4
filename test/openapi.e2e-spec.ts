// The OpenAPI document is part of the product (the iOS client is generated from it): the committed
// docs/openapi.json is what the api serves, it passes Redocly's recommended rules, and the
// validator that holds every spec's answers against it (support/openapi-contract.ts) does refuse drift.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { contractViolation } from './support/openapi-contract.js';
import { describeProblems, isAccepted, redoclyLint } from './support/openapi-lint.js';
import { useStack } from './support/stack.js';

// Compiled to dist/test/: the repository root is two up.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMITTED = 'docs/openapi.json';

function assertLintClean(file: string, what: string): void {
  const refused = redoclyLint(ROOT, file).filter((p) => !isAccepted(p));
  assert.deepEqual(refused, [], `redocly lint ${what}:\n${describeProblems(refused)}`);
}

describe('the OpenAPI document', () => {
  const stack = useStack({ api: true });
  const scratch = mkdtempSync(join(tmpdir(), 'openapi-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('served at /docs-json is the committed docs/openapi.json', async () => {
    const served = await fetch(`${stack.api.url}/docs-json`);
    assert.equal(served.status, 200);
    const committed = readFileSync(join(ROOT, COMMITTED), 'utf8');
    assert.deepEqual(
      await served.json(),
      JSON.parse(committed),
      `${COMMITTED} differs from the served /docs-json: run npm run openapi:write and commit it`,
    );
  });

  it('passes redocly lint (recommended rules), committed and served', async () => {
    assertLintClean(COMMITTED, COMMITTED);
    const served = join(scratch, 'docs-json.json');
    writeFileSync(served, await (await fetch(`${stack.api.url}/docs-json`)).text());
    assertLintClean(served, 'the served /docs-json');
  });

  it('declares every /v1 operation with an id, a summary, tags and security', async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, COMMITTED), 'utf8')) as {
      servers: unknown[];
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    assert.ok(doc.servers.length > 0, 'servers filled');
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.match(String(op.operationId), /^[a-z][A-Za-z]+$/, `${where}: readable operationId`);
        assert.ok(!ids.has(op.operationId as string), `${where}: unique operationId`);
        ids.add(op.operationId as string);
        assert.ok(op.summary, `${where}: summary`);
        assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${where}: tags`);
        assert.ok(Array.isArray(op.security), `${where}: security ([] when public)`);
        assert.equal((op.security as unknown[]).length === 0, path.startsWith('/health'), where);
      }
  });
});

describe('the response validator of the specs', () => {
  const answer = (status: number, body: unknown, contentType = 'application/json') => ({
    method: 'GET',
    path: '/v1/items/AAPL',
    status,
    contentType,
    text: JSON.stringify(body),
  });
  const item = {
    symbol: 'AAPL',
    name: 'Apple Inc.',
    description: '',
    sector: 'Information Technology',
    industry: null,
    active: true,
    firstBarDate: '2013-02-08',
    lastBarDate: '2018-02-07',
    createdAt: '2026-12-06T09:00:00.000Z',
    updatedAt: '2026-12-06T09:00:00.000Z',
  };
  const notFound = {
    type: 'urn:market-scanner:problem:not-found',
    title: 'Not Found',
    status: 404,
    detail: 'No item with symbol ZZZZ',
  };

  it('accepts a documented answer', () => {
    assert.equal(contractViolation(answer(200, item)), null);
    assert.equal(contractViolation(answer(404, notFound, 'application/problem+json')), null);
  });

  it('names the route, the status and the schema path of a mismatch', () => {
    const message = contractViolation(answer(200, { ...item, active: 'yes' })) ?? '';
    assert.match(message, /^GET \/v1\/items\/\{symbol\} 200: body\/active must be boolean/);
    assert.match(message, /schema openapi#\/components\/schemas\/Item\/properties\/active\/type/);
  });

  it('refuses an undeclared field, a null where none is declared, a missing required field', () => {
    assert.match(contractViolation(answer(200, { ...item, extra: 1 })) ?? '', /additional/);
    assert.match(contractViolation(answer(200, { ...item, name: null })) ?? '', /body\/name/);
    const { symbol: _symbol, ...noSymbol } = item;
    assert.match(contractViolation(answer(200, noSymbol)) ?? '', /symbol/);
  });

  it('refuses an undocumented status and an undocumented content type', () => {
    assert.match(contractViolation(answer(418, notFound)) ?? '', /status 418 is not documented/);
    assert.match(
      contractViolation(answer(404, notFound, 'application/json')) ?? '',
      /content type "application\/json" is not documented/,
    );
  });

  it('leaves routes the document does not describe alone', () => {
    assert.equal(contractViolation({ ...answer(200, {}), path: '/metrics' }), null);
  });
});
