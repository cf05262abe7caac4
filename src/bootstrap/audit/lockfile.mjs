// @ts-check
// The production part of the locked dependency tree, read from package-lock.json (lockfile v2/v3:
// its `packages` map). Production = every entry npm keeps with `--omit=dev`: not `dev`. An entry
// marked `devOptional` is both a dev dependency and an optional one of a production package, so
// npm keeps it in production installs, and so do we.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} LockedPackage
 * @property {string} name     the package's registry name (an alias resolves to the real name)
 * @property {string} version
 * @property {string | null} integrity  the lockfile's SRI string, null when it has none
 * @property {string[]} paths  where it is installed (`node_modules/a/node_modules/b`)
 */

/** @param {string} path a `packages` key: `node_modules/@scope/name` or nested deeper */
const nameFromPath = (path) =>
  path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * One entry per name@version of the production tree, sorted by name, with every path it sits at.
 * Skipped: the root, links (workspaces), bundled packages (they come inside another tarball and
 * have no registry entry of their own) and packages resolved from outside the registry (git, file).
 * @param {unknown} lock the parsed package-lock.json
 * @returns {LockedPackage[]}
 */
export function productionPackages(lock) {
  const packages = /** @type {{ packages?: Record<string, any> }} */ (lock)?.packages;
  if (!packages || typeof packages !== 'object')
    throw new Error('package-lock.json has no "packages" map (lockfile v2 or later is needed)');
  /** @type {Map<string, LockedPackage>} */
  const byId = new Map();
  for (const [path, entry] of Object.entries(packages)) {
    if (path === '' || entry.dev || entry.link || entry.inBundle) continue;
    if (typeof entry.resolved === 'string' && !/^https?:/.test(entry.resolved)) continue;
    const name = entry.name ?? nameFromPath(path);
    const id = `${name}@${entry.version}`;
    const known = byId.get(id);
    if (known) known.paths.push(path);
    else
      byId.set(id, {
        name,
        version: entry.version,
        integrity: entry.integrity ?? null,
        paths: [path],
      });
  }
  return [...byId.values()].sort((a, b) =>
    a.name === b.name ? a.version.localeCompare(b.version) : a.name.localeCompare(b.name),
  );
}

/**
 * productionPackages() of the lockfile in `root`.
 * @param {string} root
 */
export const readProductionPackages = (root) =>
  productionPackages(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')));
