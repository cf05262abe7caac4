// @ts-check
// What the registry itself says about each locked production version, by plain GETs of its
// version documents (`/<name>/<version>`), which every registry and mirror serves:
// - still published: a version the registry no longer has was unpublished — npm's security team
//   takes malware down that way — and `npm ci` on a fresh machine would fail on it;
// - the same bytes: the lockfile's integrity equals the registry's `dist.integrity`, so the
//   tarballs installed are the ones published (what `npm audit signatures` builds on, where the
//   registry's signing keys and the sigstore TUF root can be fetched);
// - deprecated: the maintainer's notice, listed (some registries' mirrors strip it).

/**
 * @typedef {import('./lockfile.mjs').LockedPackage} LockedPackage
 * @typedef {{ package: string, version: string, detail: string }} Note
 * @typedef {object} RegistryFindings
 * @property {Note[]} unpublished   fails the audit
 * @property {Note[]} mismatched    integrity differs: fails the audit
 * @property {Note[]} unverifiable  no algorithm in common, or no integrity in the lockfile
 * @property {Note[]} deprecated
 * @property {Note[]} unchecked     the registry did not answer for it (after a retry)
 * @typedef {({ status: 'checked', versions: number } & RegistryFindings)
 *   | { status: 'skipped', reason: string }} RegistryOutcome
 * @typedef {(url: string, init: { headers: Record<string, string>, signal: AbortSignal }) =>
 *   Promise<{ status: number, json(): Promise<any> }>} Fetch
 */

/** @param {string} name `@scope/name` travels as `@scope%2fname`, as npm sends it */
const encodeName = (name) => name.replace('/', '%2f');

/**
 * An SRI string's digests by algorithm (`sha512-… sha1-…`).
 * @param {string} sri
 * @returns {Map<string, string>}
 */
export function digestsOf(sri) {
  const digests = new Map();
  for (const part of sri.trim().split(/\s+/)) {
    const dash = part.indexOf('-');
    if (dash > 0) digests.set(part.slice(0, dash), part.slice(dash + 1).split('?')[0]);
  }
  return digests;
}

/**
 * 'same', 'different' or 'unverifiable' (no algorithm in common).
 * @param {string} locked
 * @param {string} published
 */
export function compareIntegrity(locked, published) {
  const mine = digestsOf(locked);
  const theirs = digestsOf(published);
  const common = [...mine.keys()].filter((algorithm) => theirs.has(algorithm));
  if (common.length === 0) return 'unverifiable';
  return common.every((a) => mine.get(a) === theirs.get(a)) ? 'same' : 'different';
}

/**
 * GET with a timeout and one retry on a network error or a 5xx.
 * @param {Fetch} fetchImpl
 * @param {string} url
 * @param {number} timeoutMs
 */
async function get(fetchImpl, url, timeoutMs) {
  let last;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const headers = { accept: 'application/json' };
      const response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      if (response.status < 500) return response;
      last = new Error(`HTTP ${response.status}`);
    } catch (error) {
      last = /** @type {Error} */ (error);
    }
  }
  throw last;
}

/** @param {unknown} error */
const describe = (error) => {
  const e = /** @type {Error & { cause?: { code?: string, message?: string } }} */ (error);
  return e.cause?.code ?? e.cause?.message ?? e.message;
};

/**
 * Checks every locked production version against `registry`. The registry's `/-/ping` is asked
 * first: when it does not answer, the check is skipped with the reason.
 * @param {LockedPackage[]} packages
 * @param {string} registry  base URL ending in '/'
 * @param {{ fetchImpl?: Fetch, concurrency?: number, timeoutMs?: number }} [options]
 * @returns {Promise<RegistryOutcome>}
 */
export async function checkRegistry(packages, registry, options = {}) {
  const fetchImpl = options.fetchImpl ?? /** @type {Fetch} */ (/** @type {unknown} */ (fetch));
  const timeoutMs = options.timeoutMs ?? 15_000;
  try {
    await get(fetchImpl, `${registry}-/ping`, timeoutMs);
  } catch (error) {
    return { status: 'skipped', reason: `the registry is unreachable: ${describe(error)}` };
  }
  /** @type {RegistryFindings} */
  const findings = {
    unpublished: [],
    mismatched: [],
    unverifiable: [],
    deprecated: [],
    unchecked: [],
  };
  const queue = [...packages];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { name, version, integrity } = next;
      /** @param {keyof RegistryFindings} kind @param {string} detail */
      const note = (kind, detail) => findings[kind].push({ package: name, version, detail });
      try {
        const response = await get(
          fetchImpl,
          `${registry}${encodeName(name)}/${version}`,
          timeoutMs,
        );
        if (response.status === 404) {
          note('unpublished', 'the registry has no such version (404)');
          continue;
        }
        if (response.status !== 200) {
          note('unchecked', `HTTP ${response.status}`);
          continue;
        }
        const manifest = await response.json();
        const published = manifest?.dist?.integrity;
        if (!integrity || typeof published !== 'string')
          note(
            'unverifiable',
            integrity ? 'the registry gives no integrity' : 'no integrity locked',
          );
        else {
          const same = compareIntegrity(integrity, published);
          if (same === 'different')
            note('mismatched', `locked ${integrity}, published ${published}`);
          else if (same === 'unverifiable') note('unverifiable', 'no hash algorithm in common');
        }
        if (typeof manifest?.deprecated === 'string' && manifest.deprecated !== '')
          note('deprecated', manifest.deprecated);
      } catch (error) {
        note('unchecked', describe(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  for (const list of Object.values(findings))
    list.sort((a, b) => a.package.localeCompare(b.package) || a.version.localeCompare(b.version));
  return { status: 'checked', versions: packages.length, ...findings };
}
