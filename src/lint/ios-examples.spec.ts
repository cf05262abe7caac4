// docs/ios.md shows the iOS team JSON they will decode: every ```json block in it must fit the schema
// its marker names, in docs/openapi.json (`<!-- schema: Scan -->`) or as a WebSocket frame built on
// those schemas (`<!-- frame: progress -->`), so the page fails a test before it misleads an app.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
// The e2e suites' response validator: the same reading of OpenAPI 3.0 (nullable, closed objects).
import { toJsonSchema } from '../../test/support/openapi-contract.js';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// Compiled to dist/src/lint/: the repository root is three up.
const ROOT = new URL('../../../', import.meta.url);
const PAGE = 'docs/ios.md';

type Json = Record<string, unknown>;

// Registered as `openapi`, as the response validator of the e2e suites registers it.
const ref = (name: string) => ({ $ref: `openapi#/components/schemas/${name}` });

/** A frame's echoed `id`: 1 to 64 printable ASCII characters (DESIGN §9, docs/api.md). */
const CLIENT_ID = { type: 'string', pattern: '^[\\x20-\\x7e]{1,64}$' };

/** A frame: its `type`, its own fields (all required), and the optional echoed `id`. */
const frame = (type: string, fields: Json, extraRequired: string[] = []): Json => ({
  type: 'object',
  properties: { type: { const: type }, id: CLIENT_ID, ...fields },
  required: ['type', ...Object.keys(fields), ...extraRequired],
  additionalProperties: false,
});

/** The frames of DESIGN §4 and §9 (libs/api-client/frames.ts), over the document's components. */
function frameSchemas(schemas: Json): Record<string, Json> {
  const progress = schemas['ScanProgress'] as { properties: Json; required: string[] };
  return {
    subscribe: frame('subscribe', { scanId: { type: 'string' } }),
    unsubscribe: frame('unsubscribe', { scanId: { type: 'string' } }),
    scan: frame('scan', { request: ref('CreateScan') }),
    accepted: frame('accepted', { scan: ref('Scan') }),
    completed: frame('completed', { scan: ref('Scan') }),
    failed: frame('failed', { scanId: { type: 'string' }, error: { type: 'string' } }),
    error: frame('error', { message: { type: 'string' } }),
    alert: frame('alert', { alert: ref('Alert') }),
    progress: frame(
      'progress',
      {
        scanId: { type: 'string' },
        partial: { type: 'array', items: ref('ScanHit') },
        ...(toJsonSchema(progress.properties) as Json),
      },
      [],
    ),
  };
}

interface Example {
  line: number;
  kind: 'schema' | 'frame';
  name: string;
  text: string;
}

/** Every ```json block of a Markdown text with the marker on the line before it (or null). */
export function jsonExamples(markdown: string): Array<Example | { line: number; marker: null }> {
  const lines = markdown.split('\n');
  const found: Array<Example | { line: number; marker: null }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```json') continue;
    // The marker is the last non-blank line before the fence (Prettier puts a blank line between).
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const marker = /^<!-- (schema|frame): ([A-Za-z]+) -->$/.exec(lines[before]?.trim() ?? '');
    const end = lines.indexOf('```', i + 1);
    const text = lines.slice(i + 1, end).join('\n');
    found.push(
      marker
        ? { line: i + 1, kind: marker[1] as Example['kind'], name: marker[2]!, text }
        : { line: i + 1, marker: null },
    );
    i = end;
  }
  return found;
}

describe('the JSON examples of docs/ios.md', () => {
  const document = JSON.parse(readFileSync(new URL('docs/openapi.json', ROOT), 'utf8')) as {
    components: { schemas: Json };
  };
  const schemas = document.components.schemas;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components) });
  const frames = frameSchemas(schemas);
  const examples = jsonExamples(readFileSync(new URL(PAGE, ROOT), 'utf8'));

  it('marks every example with the schema or frame it shows', () => {
    assert.ok(examples.length >= 5, `only ${examples.length} examples found in ${PAGE}`);
    const unmarked = examples.filter((e) => 'marker' in e).map((e) => `${PAGE}:${e.line}`);
    assert.deepEqual(
      unmarked,
      [],
      'put <!-- schema: Name --> or <!-- frame: type --> before these',
    );
  });

  it('fit their schemas in docs/openapi.json', () => {
    const failures: string[] = [];
    for (const example of examples) {
      if ('marker' in example) continue;
      const where = `${PAGE}:${example.line} (${example.kind} ${example.name})`;
      const schema =
        example.kind === 'schema'
          ? schemas[example.name] && ref(example.name)
          : frames[example.name];
      if (!schema) {
        failures.push(`${where}: no such ${example.kind}`);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(example.text);
      } catch (error) {
        failures.push(`${where}: not JSON (${(error as Error).message})`);
        continue;
      }
      const validate = ajv.compile(schema);
      if (!validate(value))
        for (const e of validate.errors ?? [])
          failures.push(`${where}: ${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
    }
    assert.deepEqual(failures, []);
  });

  it('catches an example that does not fit', () => {
    const validate = ajv.compile(ref('Installation'));
    assert.equal(validate({ installationId: 'x', token: 't', scopes: ['read'] }), false, 'uuid');
    assert.equal(validate({ token: 't', scopes: [] }), false, 'required field');
    const progress = ajv.compile(frames['progress']!);
    assert.equal(progress({ type: 'progress', scanId: 'x', partial: [] }), false, 'stage missing');
  });
});
