// Checks rendered objects against the Kubernetes and KEDA schemas, refusing unknown fields.
//
// kubernetes-models (Kubernetes' OpenAPI document) and @kubernetes-models/keda (KEDA's CRDs) ship
// two things per kind: a JSON-schema validator, which checks types, formats and required fields but
// lets unknown fields through (their schemas carry no additionalProperties: false), and a TypeScript
// declaration of the same schema. So each object is checked twice: by the validator, and as an
// object literal of its declared type through the TypeScript compiler, for which an unknown field
// is an excess property (kubectl's strict field validation refuses it likewise).
import { dirname } from 'node:path';
import ts from 'typescript';
import { objectId, type K8sObject } from './kustomize.js';

export interface SchemaProblem {
  object: string;
  message: string;
}

/** The module of a kind's model, e.g. `kubernetes-models/apps/v1/Deployment`. */
export function modelModule(o: Pick<K8sObject, 'apiVersion' | 'kind'>): string | undefined {
  const [group, version] = o.apiVersion.includes('/')
    ? (o.apiVersion.split('/') as [string, string])
    : ['', o.apiVersion];
  const module =
    group === 'keda.sh'
      ? `@kubernetes-models/keda/keda.sh/${version}/${o.kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
  try {
    // ESM-only packages: resolved by the import conditions, as the check's import() will be.
    import.meta.resolve(module);
    return module;
  } catch {
    return undefined;
  }
}

/** The JSON-schema validator of each object's kind (types, formats, required fields, enums). */
export async function validateWithModels(objects: K8sObject[]): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  for (const o of objects) {
    const module = modelModule(o);
    if (!module) {
      problems.push({ object: objectId(o), message: `no schema for ${o.apiVersion} ${o.kind}` });
      continue;
    }
    const Model = ((await import(module)) as Record<string, new (data: unknown) => unknown>)[
      o.kind
    ]!;
    try {
      (new Model(o) as { validate(): void }).validate();
    } catch (error) {
      problems.push({ object: objectId(o), message: (error as Error).message });
    }
  }
  return problems;
}

/**
 * Each object as `const oN: I<Kind> = {…}` in one in-memory TypeScript file, compiled against the
 * models' declarations: unknown fields, wrong types and missing required fields are diagnostics.
 * TypeScript reports the first problem of each object; fixing it shows the next.
 */
export function typeCheckWithModels(objects: K8sObject[], root: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const lines: string[] = [];
  const owners: { from: number; object: K8sObject }[] = [];
  for (const [index, o] of objects.entries()) {
    const module = modelModule(o);
    if (!module) {
      problems.push({ object: objectId(o), message: `no schema for ${o.apiVersion} ${o.kind}` });
      continue;
    }
    owners.push({ from: lines.length, object: o });
    const body = JSON.stringify(o, null, 2).split('\n');
    lines.push(`export const o${index}: import(${JSON.stringify(module)}).I${o.kind} = ${body[0]}`);
    lines.push(...body.slice(1));
  }
  // Beside package.json, so that the models resolve from node_modules as any source file's would.
  const file = `${root.replace(/\/$/, '')}/.k8s-schema-check.ts`;
  const text = `${lines.join('\n')}\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, text, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? text : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) {
      problems.push({ object: '(compiler)', message });
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners.findLast((o) => o.from <= line);
    problems.push({
      object: owner ? objectId(owner.object) : '(unknown)',
      message: `${message} (at: ${lines[line]?.trim()})`,
    });
  }
  return problems;
}

/** Both checks; problems in a readable list. */
export async function checkSchemas(objects: K8sObject[], root: string): Promise<SchemaProblem[]> {
  return [...typeCheckWithModels(objects, root), ...(await validateWithModels(objects))];
}

export const formatProblems = (problems: SchemaProblem[]): string =>
  problems.map((p) => `${p.object}: ${p.message}`).join('\n');

/** The repository root seen from a compiled module in dist/src/k8s/. */
export const repositoryRoot = (moduleUrl: string): string =>
  dirname(dirname(dirname(dirname(new URL(moduleUrl).pathname))));
