import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Holds answers of the running api against the committed OpenAPI document (docs/openapi.json), so
 * that a drift between code and document fails a test instead of a generated client: the operation
 * is found by method and path template, then the status (an undocumented one is a failure), the
 * content type and the body's schema. `call()` (http.ts) and the fuzz suite check every answer.
 */

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// Compiled to dist/test/support/: the repository root is three up.
const DOCUMENT_PATH = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The document's schemas as JSON Schema for Ajv: `nullable: true` (OpenAPI 3.0) becomes "null or
 * the rest" (Ajv's own nullable ignores an allOf, which is how a nullable $ref is written), and an
 * object with declared properties accepts no other: a field the server sends but the document does
 * not declare is drift too. References point into the components registered as `openapi`.
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === 'example' || key === 'examples'
        ? value
        : key === '$ref' && typeof value === 'string'
          ? `openapi${value}` // #/components/... of the document, registered as "openapi"
          : toJsonSchema(value);
  if (isObject(out.properties) && out.additionalProperties === undefined)
    out.additionalProperties = false;
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

let loaded: { ajv: Ajv; operations: Operation[] } | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { ajv: Ajv; operations: Operation[] } {
  if (loaded) return loaded;
  const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Json;
  // strict: false lets OpenAPI's own keywords (example, discriminator, ...) pass as annotations.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components) });
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
    const source = template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    for (const [method, op] of Object.entries(item))
      if (isObject(op) && isObject(op.responses))
        operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          params: (template.match(/\{/g) ?? []).length,
          responses: op.responses as Operation['responses'],
        });
  }
  // A literal segment wins over a parameter (/v1/scans before /v1/scans/{id}).
  operations.sort((a, b) => a.params - b.params);
  loaded = { ajv, operations };
  return loaded;
}

/** The documented operation answering `method` on `path` (no query string), if any. */
export function findOperation(method: string, path: string): Operation | undefined {
  return load().operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 8)
    .map((e) => `body${e.instancePath || ''} ${e.message ?? ''} (schema ${e.schemaPath})`)
    .join('; ');

export interface Answer {
  method: string;
  /** The request path without the query string, e.g. /v1/items/AAPL. */
  path: string;
  status: number;
  contentType: string | null;
  /** The body as text ('' when empty). */
  text: string;
}

/**
 * What is wrong with `answer` against the document; null when it fits or when no documented
 * operation answers its method and path (unknown routes, /metrics, /docs: nothing to hold it to).
 */
export function contractViolation(answer: Answer): string | null {
  const operation = findOperation(answer.method, answer.path);
  if (!operation) return null;
  const route = `${operation.method} ${operation.template}`;
  const response = operation.responses[String(answer.status)];
  if (!response)
    return `${route}: status ${answer.status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
  const content = response.content;
  if (!content || Object.keys(content).length === 0)
    return answer.text === ''
      ? null
      : `${route} ${answer.status}: the document declares no body, the server sent ${answer.text.length} bytes`;
  if (answer.method.toUpperCase() === 'HEAD') return null;
  const mediaType = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(mediaType in content))
    return `${route} ${answer.status}: content type "${mediaType}" is not documented (documented: ${Object.keys(content).join(', ')})`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `${route} ${answer.status}: the body is not JSON`;
  }
  const key = `${route} ${answer.status} ${mediaType}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = (content[mediaType] as Json).schema;
    validate = load().ajv.compile(toJsonSchema(schema) as Json);
    validators.set(key, validate);
  }
  return validate(body) ? null : `${route} ${answer.status}: ${describeErrors(validate.errors)}`;
}
