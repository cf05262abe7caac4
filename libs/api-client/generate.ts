// Generates libs/api-client/schema.ts from docs/openapi.json with openapi-typescript, formatted by
// the repository's Prettier settings so the committed file passes `prettier --check` unchanged.
//
//   npm run client:generate          (writes the file)
//
// schema.spec.ts calls generateSchema() on the committed document and compares: a document change
// without a regenerated client fails `npm test`. Everything here works offline: the document is
// passed as text, so openapi-typescript's bundler never resolves a remote reference.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

/** Where the document and the generated file live, relative to the repository's root. */
export const DOCUMENT_PATH = 'docs/openapi.json';
export const SCHEMA_PATH = 'libs/api-client/schema.ts';

const HEADER = `/**
 * Generated from ${DOCUMENT_PATH} by \`npm run client:generate\` (openapi-typescript): do not edit.
 * A unit test (libs/api-client/schema.spec.ts) fails when the document and this file disagree.
 */

`;

/** The TypeScript source of schema.ts for an OpenAPI document given as JSON text. */
export async function generateSchema(documentJson: string, root: URL): Promise<string> {
  const ast = await openapiTS(documentJson, {
    cwd: root,
    silent: true,
    // Keep every `required` and `nullable` exactly as the document says: a field the server may
    // leave out stays optional in the types.
    defaultNonNullable: false,
  });
  const prettier = await resolveConfig(fileURLToPath(new URL(SCHEMA_PATH, root)));
  return format(HEADER + astToString(ast), { ...prettier, parser: 'typescript' });
}

/** Regenerates schema.ts in the repository whose root is `root`. */
export async function writeSchema(root: URL): Promise<void> {
  const document = await readFile(new URL(DOCUMENT_PATH, root), 'utf8');
  await writeFile(new URL(SCHEMA_PATH, root), await generateSchema(document, root));
}

// Run as a script (node libs/api-client/generate.ts, or its compiled twin): the working directory
// is the repository's root, as under `npm run`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await writeSchema(pathToFileURL(`${process.cwd()}/`));
  process.stdout.write(`wrote ${SCHEMA_PATH} from ${DOCUMENT_PATH}\n`);
}
