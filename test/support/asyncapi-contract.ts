import { fileURLToPath } from 'node:url';
import { fromFile, Parser, type Diagnostic } from '@asyncapi/parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { toJsonSchema } from './openapi-contract.js';

/**
 * docs/asyncapi.yaml as the tests use it: parsed by the AsyncAPI parser (its `$ref`s into
 * docs/openapi.json resolved), and each message's payload compiled for Ajv with the same reading of
 * OpenAPI schemas as the response validator (nullable, no undeclared fields).
 */

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// Compiled to dist/test/support/: the repository root is three up.
export const ASYNCAPI_PATH = fileURLToPath(new URL('../../../docs/asyncapi.yaml', import.meta.url));

/** Spectral's severities, as the parser reports them. */
export const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export interface AsyncApiContract {
  diagnostics: Diagnostic[];
  /** Message name (the frame's `type`) → its payload validator; empty when the document did not parse. */
  validators: Map<string, ValidateFunction>;
}

export async function loadAsyncApi(): Promise<AsyncApiContract> {
  const { document, diagnostics } = await fromFile(new Parser(), ASYNCAPI_PATH).parse();
  const validators = new Map<string, ValidateFunction>();
  if (!document) return { diagnostics, validators };
  // strict: false lets the parser's x-parser-* and OpenAPI's own keywords pass as annotations.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const message of document.components().messages().all()) {
    const payload = message.payload()?.json();
    if (payload) validators.set(message.id(), ajv.compile(toJsonSchema(payload) as object));
  }
  return { diagnostics, validators };
}

/** Why `frame` does not fit the payload of the message its `type` names; null when it does. */
export function frameViolation(contract: AsyncApiContract, frame: unknown): string | null {
  const type = (frame as { type?: unknown }).type;
  const validate = typeof type === 'string' ? contract.validators.get(type) : undefined;
  if (!validate) return `no message for a frame of type ${JSON.stringify(type)}`;
  if (validate(frame)) return null;
  return (validate.errors ?? [])
    .slice(0, 6)
    .map((e) => `${type}${e.instancePath} ${e.message ?? ''} (${e.schemaPath})`)
    .join('; ');
}
