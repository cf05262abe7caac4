// @ts-check
// Known vulnerabilities of the production tree: `npm audit --omit=dev --json`, which sends the
// locked names and versions to the registry's bulk advisory endpoint (the GitHub Advisory Database
// behind the public npm registry) and works out which installed paths each advisory reaches. Where the
// registry refuses that endpoint (a GET-only mirror answers 405) or cannot be reached, the outcome
// says so and why: it is a skipped audit, never a clean one.
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

/** npm's severities, worst first. */
export const SEVERITIES = /** @type {const} */ (['critical', 'high', 'moderate', 'low', 'info']);
/** @typedef {typeof SEVERITIES[number]} Severity */

/** The severities that fail the audit unless accepted in the allow list. */
export const FAILING = new Set(['critical', 'high']);

/**
 * @typedef {object} Advisory
 * @property {string} id        GHSA id (`GHSA-xxxx-xxxx-xxxx`), else npm's numeric source id
 * @property {string} package   the vulnerable package
 * @property {Severity} severity
 * @property {string} title
 * @property {string} url
 * @property {string} range     the vulnerable versions
 * @property {string[]} paths   where the vulnerable package is installed
 */

/**
 * @typedef {{ status: 'audited', advisories: Advisory[], dependencies: number }
 *   | { status: 'skipped', reason: string }
 *   | { status: 'error', reason: string }} AdvisoryOutcome
 */

const GHSA = /GHSA(?:-[0-9a-z]{4}){3}/;

/**
 * The advisories in an `npm audit --json` report (auditReportVersion 2), one per advisory and
 * vulnerable package. Entries whose `via` names another package are that package's advisories
 * reaching its dependents: npm lists them for `npm audit fix`; the advisory itself is listed once.
 * @param {any} report
 * @returns {Advisory[]}
 */
export function advisoriesOf(report) {
  /** @type {Map<string, Advisory>} */
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const id = String(via.url ?? '').match(GHSA)?.[0] ?? String(via.source);
      const key = `${id} ${via.name}`;
      const known = found.get(key);
      const paths = vulnerability.name === via.name ? (vulnerability.nodes ?? []) : [];
      if (known) known.paths = [...new Set([...known.paths, ...paths])];
      else
        found.set(key, {
          id,
          package: via.name,
          severity: SEVERITIES.includes(via.severity) ? via.severity : 'info',
          title: via.title ?? '',
          url: via.url ?? '',
          range: via.range ?? '',
          paths: [...paths],
        });
    }
  }
  return [...found.values()].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.package.localeCompare(b.package) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * What an `npm audit --json` run printed, as an outcome. npm prints its report, or on failure an
 * object with the registry's answer (`statusCode`: the endpoint is refused) or the request's error
 * (`request to … failed, reason: …`: the registry is unreachable).
 * @param {string} stdout
 * @returns {AdvisoryOutcome}
 */
export function outcomeOf(stdout) {
  let printed;
  try {
    printed = JSON.parse(stdout);
  } catch {
    return { status: 'error', reason: `npm audit printed no JSON: ${stdout.slice(0, 200)}` };
  }
  if (printed?.auditReportVersion === 2)
    return {
      status: 'audited',
      advisories: advisoriesOf(printed),
      dependencies: printed.metadata?.dependencies?.prod ?? 0,
    };
  const message = String(printed?.message ?? printed?.error?.summary ?? 'no message');
  if (typeof printed?.statusCode === 'number')
    return {
      status: 'skipped',
      reason: `the registry refuses its advisory endpoint: ${message}`,
    };
  if (/failed, reason:|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(message))
    return { status: 'skipped', reason: `the registry is unreachable: ${message}` };
  return { status: 'error', reason: `npm audit failed: ${message}` };
}

/**
 * The npm that runs this script when it runs under `npm run` (npm_execpath), else npm on PATH.
 * @returns {[string, string[]]}
 */
function npmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && basename(execPath).startsWith('npm')) return [process.execPath, [execPath]];
  return ['npm', []];
}

/**
 * Runs `npm audit --omit=dev --json` in `root` against `registry`.
 * @param {string} root
 * @param {string} registry
 * @param {number} [timeoutMs]
 * @returns {Promise<AdvisoryOutcome>}
 */
export function auditAdvisories(root, registry, timeoutMs = 120_000) {
  const [command, prefix] = npmCommand();
  const args = [...prefix, 'audit', '--omit=dev', '--json', `--registry=${registry}`];
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.resume();
    child.on('error', (error) =>
      resolve({ status: 'error', reason: `could not run npm audit: ${error.message}` }),
    );
    child.on('close', (code, signal) =>
      resolve(
        signal
          ? { status: 'skipped', reason: `npm audit did not answer within ${timeoutMs / 1000} s` }
          : outcomeOf(stdout || `{"message":"exit ${code}"}`),
      ),
    );
  });
}
