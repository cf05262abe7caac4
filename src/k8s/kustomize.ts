// Renders deploy/k8s overlays: with `kubectl kustomize` when a kubectl whose kustomize is v4 or later
// is installed, else with the small renderer below, which handles exactly the kustomize features
// the repository's kustomizations use and refuses any other. The manifest spec renders with both
// where kubectl exists and requires the same objects, so the two cannot drift apart unnoticed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { applyJsonPatch, type PatchOperation } from './json-patch.js';

/** A Kubernetes object as rendered: typed only as far as the renderer and the checks need. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export type Renderer = 'kubectl' | 'project';

/** The kustomization fields the project renderer understands; any other is an error. */
const SUPPORTED_FIELDS = ['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches'];

/** Kinds without a namespace: kustomize's namespace transformer leaves them as they are. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PersistentVolume',
  'PriorityClass',
  'StorageClass',
  'ClusterTriggerAuthentication',
]);

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface PatchEntry {
  target?: { kind?: string; name?: string; [key: string]: unknown };
  patch?: string;
  path?: string;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: ImageEntry[];
  patches?: PatchEntry[];
}

/** `kind/name` (and namespace when set): how objects are named in messages and compared. */
export const objectId = (o: K8sObject): string =>
  `${o.apiVersion} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Every document of a YAML stream that is an object (empty documents and comments dropped). */
export function parseObjects(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    })
    .filter((value): value is K8sObject => value !== null && typeof value === 'object');
}

function readKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const unknown = Object.keys(k).filter((key) => !SUPPORTED_FIELDS.includes(key));
  if (unknown.length > 0)
    throw new Error(
      `${file}: the project renderer handles ${SUPPORTED_FIELDS.join(', ')}, not ${unknown.join(', ')} (render with kubectl kustomize, or extend src/k8s/kustomize.ts)`,
    );
  return k as Kustomization;
}

/** Name (registry and path), tag and digest of an image reference (a registry may have a port). */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@') as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  return colon > slash
    ? { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest }
    : { name: withTag, digest };
}

/** kustomize's `images:`: every container and init container of any object whose image is `name`. */
function setImages(value: unknown, entry: ImageEntry): void {
  if (Array.isArray(value)) return value.forEach((item) => setImages(item, entry));
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      for (const container of child as { image?: string }[]) {
        if (typeof container.image !== 'string') continue;
        const image = splitImage(container.image);
        if (image.name !== entry.name) continue;
        const name = entry.newName ?? image.name;
        const digest = entry.digest ?? (entry.newTag ? undefined : image.digest);
        const tag = entry.newTag ?? (entry.digest ? undefined : image.tag);
        container.image = digest ? `${name}@${digest}` : tag ? `${name}:${tag}` : name;
      }
    }
    setImages(child, entry);
  }
}

function applyPatchEntry(objects: K8sObject[], entry: PatchEntry, dir: string): K8sObject[] {
  const where = `${join(dir, 'kustomization.yaml')}: patch on ${JSON.stringify(entry.target)}`;
  const targetKeys = Object.keys(entry.target ?? {});
  if (targetKeys.some((key) => key !== 'kind' && key !== 'name'))
    throw new Error(`${where}: the project renderer selects targets by kind and name only`);
  const text = entry.patch ?? (entry.path ? readFileSync(resolve(dir, entry.path), 'utf8') : '');
  const operations = parse(text) as unknown;
  if (!Array.isArray(operations))
    throw new Error(
      `${where}: the project renderer applies JSON 6902 patches (a list of ops) only`,
    );
  const matches = (o: K8sObject) =>
    (!entry.target?.kind || o.kind === entry.target.kind) &&
    (!entry.target?.name || o.metadata.name === entry.target.name);
  if (!objects.some(matches)) throw new Error(`${where}: no object matches the target`);
  return objects.map((o) =>
    matches(o) ? (applyJsonPatch(o, operations as PatchOperation[], where) as K8sObject) : o,
  );
}

/** The objects the kustomization in `dir` renders, by the project renderer. */
export function renderWithProject(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  let objects = (k.resources ?? []).flatMap((entry) => {
    const path = resolve(dir, entry);
    return statSync(path).isDirectory()
      ? renderWithProject(path)
      : parseObjects(readFileSync(path, 'utf8'), path);
  });
  // kustomize's order: patches, then namespace, then images (they touch different fields here).
  for (const entry of k.patches ?? []) objects = applyPatchEntry(objects, entry, dir);
  if (k.namespace)
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  for (const entry of k.images ?? []) setImages(objects, entry);
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(objectId(o))) throw new Error(`${dir}: ${objectId(o)} is defined twice`);
    seen.add(objectId(o));
  }
  return objects;
}

/**
 * The kubectl that can render the repository's kustomizations, or why there is none: kubectl
 * 1.21+ embeds kustomize v4+ (Debian 12's kubernetes-client, 1.20, has kustomize v2, too old).
 */
export function kubectlKustomize(): { ok: true; version: string } | { ok: false; reason: string } {
  const run = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (run.error) return { ok: false, reason: `kubectl not found (${run.error.message})` };
  let version = '';
  try {
    version = (JSON.parse(run.stdout) as { kustomizeVersion?: string }).kustomizeVersion ?? '';
  } catch {
    return { ok: false, reason: `kubectl version printed no JSON: ${run.stderr.trim()}` };
  }
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
  return major >= 4
    ? { ok: true, version }
    : { ok: false, reason: `kubectl's kustomize is ${version || 'unknown'}; v4 or later needed` };
}

/** The objects `kubectl kustomize dir` renders (throws when kubectl fails). */
export function renderWithKubectl(dir: string): K8sObject[] {
  const run = spawnSync('kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0)
    throw new Error(`kubectl kustomize ${dir}: ${run.error?.message ?? run.stderr.trim()}`);
  return parseObjects(run.stdout, `kubectl kustomize ${dir}`);
}

/** Renders with kubectl when it can, else with the project renderer; says which it used. */
export function render(
  dir: string,
  choice: Renderer | 'auto' = 'auto',
): { objects: K8sObject[]; renderer: Renderer } {
  const useKubectl = choice === 'kubectl' || (choice === 'auto' && kubectlKustomize().ok);
  return useKubectl
    ? { objects: renderWithKubectl(dir), renderer: 'kubectl' }
    : { objects: renderWithProject(dir), renderer: 'project' };
}
