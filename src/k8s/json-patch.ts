// JSON Patch (RFC 6902) as kustomize's `patches:` applies it: add, remove, replace and test. The
// object is copied, never changed in place; a path that does not resolve is an error, as in kustomize.

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

type Container = Record<string, unknown> | unknown[];

/** RFC 6901: `/a/b~1c` → ['a', 'b/c']. */
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`"${path}" is not a JSON pointer`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(container: Container, token: string, path: string): unknown {
  if (Array.isArray(container)) {
    const index = Number(token);
    if (!/^\d+$/.test(token) || index >= container.length)
      throw new Error(`${path}: no index ${token}`);
    return container[index];
  }
  if (!(token in container)) throw new Error(`${path}: no field "${token}"`);
  return container[token];
}

const isContainer = (value: unknown): value is Container =>
  value !== null && typeof value === 'object';

/** Applies `operations` to a copy of `document`; `where` prefixes every error. */
export function applyJsonPatch(
  document: unknown,
  operations: PatchOperation[],
  where: string,
): unknown {
  const root = structuredClone(document);
  for (const operation of operations) {
    const tokens = pointer(operation.path);
    const last = tokens.pop();
    if (last === undefined) throw new Error(`${where}: an operation on the whole document`);
    let parent: unknown = root;
    for (const token of tokens) {
      if (!isContainer(parent)) throw new Error(`${where}: ${operation.path}: not an object`);
      parent = child(parent, token, `${where}: ${operation.path}`);
    }
    if (!isContainer(parent)) throw new Error(`${where}: ${operation.path}: not an object`);
    apply(parent, last, operation, `${where}: ${operation.path}`);
  }
  return root;
}

function apply(parent: Container, last: string, operation: PatchOperation, where: string): void {
  const value = structuredClone(operation.value);
  switch (operation.op) {
    case 'add':
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (!/^\d+$|^-$/.test(last) || index > parent.length)
          throw new Error(`${where}: no index ${last}`);
        parent.splice(index, 0, value);
      } else parent[last] = value;
      return;
    case 'remove':
      child(parent, last, where);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return;
    case 'replace':
      child(parent, last, where);
      if (Array.isArray(parent)) parent[Number(last)] = value;
      else parent[last] = value;
      return;
    case 'test':
      if (JSON.stringify(child(parent, last, where)) !== JSON.stringify(value))
        throw new Error(`${where}: test failed`);
      return;
    default:
      throw new Error(`${where}: unsupported op ${JSON.stringify(operation.op)}`);
  }
}
