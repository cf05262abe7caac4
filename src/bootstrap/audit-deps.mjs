// @ts-check
// `npm run audit:deps`: audits the production dependency tree (package-lock.json) with nothing but
// the npm registry —
// - advisories: `npm audit --omit=dev` (the GitHub Advisory Database, through the registry's bulk
//   advisory endpoint); a high or critical one fails unless audit-allow.json accepts it, with a
//   reason, until a date;
// - the registry's own record of each locked version: still published, same integrity, deprecated.
// Exit 0: clean; 1: a finding (or a bad allow list); 2: nothing failed but a part could not run —
// the registry refused the advisory endpoint or did not answer — and the output says which and why.
//
//   node src/bootstrap/audit-deps.mjs [--json] [--root DIR] [--registry URL] [--allow FILE]
//
// Plain Node, no dependencies: it runs before anything is built, like the rest of src/bootstrap.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditAdvisories } from './audit/advisories.mjs';
import { judge, readAllowList, today } from './audit/allow-list.mjs';
import { readProductionPackages } from './audit/lockfile.mjs';
import { checkRegistry } from './audit/registry.mjs';
import { conclude, formatText } from './audit/report.mjs';

/** The file of accepted advisories, at the repository's root. */
export const ALLOW_LIST = 'audit-allow.json';

/** The registry npm is configured with here (.npmrc, environment), ending in '/'. */
function configuredRegistry() {
  const asked = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  const url = asked.status === 0 ? asked.stdout.trim() : '';
  return url || 'https://registry.npmjs.org/';
}

/** @param {string} url */
const withSlash = (url) => (url.endsWith('/') ? url : `${url}/`);

/**
 * Runs the audit.
 * @param {{ root?: string, registry?: string, allow?: string }} [options]
 * @returns {Promise<import('./audit/report.mjs').AuditResult>}
 */
export async function auditDependencies(options = {}) {
  const root = resolve(options.root ?? process.cwd());
  const registry = withSlash(options.registry ?? configuredRegistry());
  const date = today();
  const packages = readProductionPackages(root);
  const allowList = readAllowList(resolve(root, options.allow ?? ALLOW_LIST), date);
  const [advisories, registryCheck] = await Promise.all([
    auditAdvisories(root, registry),
    checkRegistry(packages, registry),
  ]);
  const verdict =
    advisories.status === 'audited' ? judge(advisories.advisories, allowList.accepted, date) : null;
  return conclude({
    date,
    registry,
    packages: packages.length,
    advisories,
    verdict,
    registryCheck,
    allowListErrors: allowList.errors,
  });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ json: boolean, root?: string, registry?: string, allow?: string }} */
  const options = { json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--root' || arg === '--registry' || arg === '--allow') {
      const value = argv[(i += 1)];
      if (!value) throw new Error(`${arg} needs a value`);
      options[/** @type {'root' | 'registry' | 'allow'} */ (arg.slice(2))] = value;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const result = await auditDependencies(options);
    process.stdout.write(
      options.json ? `${JSON.stringify(result, null, 2)}\n` : formatText(result),
    );
    process.exitCode = result.exitCode;
  } catch (error) {
    process.stderr.write(`audit:deps: ${/** @type {Error} */ (error).message}\n`);
    process.exitCode = 1;
  }
}
