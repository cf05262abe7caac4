// @ts-check
// The advisories the project has accepted (audit-allow.json): each names the advisory and the
// package, says why it does not matter here, and expires — after its date it accepts nothing, so
// an acceptance is looked at again instead of living forever. An expiry more than a year ahead is
// refused for the same reason.
import { existsSync, readFileSync } from 'node:fs';
import { FAILING } from './advisories.mjs';

/**
 * @typedef {object} Acceptance
 * @property {string} id       the advisory (GHSA id, as the audit reports it)
 * @property {string} package  the vulnerable package it is accepted for
 * @property {string} reason   why it does not affect this project
 * @property {string} expires  YYYY-MM-DD, the last day it accepts the advisory
 */

/** @typedef {import('./advisories.mjs').Advisory} Advisory */

const DAY_MS = 86_400_000;
/** The longest an acceptance may run before it must be renewed. */
export const MAX_ACCEPTANCE_DAYS = 366;
const MIN_REASON_LENGTH = 20;

/** @param {string} date YYYY-MM-DD, as a UTC day number */
const dayOf = (date) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** @param {Date} now */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * The acceptances of an allow list and every problem with it (all reported at once).
 * @param {unknown} list the parsed file: `{ "accepted": [Acceptance, …] }`
 * @param {string} on YYYY-MM-DD: the day the audit runs
 * @returns {{ accepted: Acceptance[], errors: string[] }}
 */
export function parseAllowList(list, on) {
  const entries = /** @type {{ accepted?: unknown }} */ (list)?.accepted;
  if (!Array.isArray(entries)) return { accepted: [], errors: ['"accepted" must be an array'] };
  /** @type {string[]} */
  const errors = [];
  /** @type {Acceptance[]} */
  const accepted = [];
  const seen = new Set();
  entries.forEach((entry, index) => {
    const at = `accepted[${index}]`;
    const { id, package: name, reason, expires } = entry ?? {};
    const problems = [];
    if (typeof id !== 'string' || id.trim() === '') problems.push('"id" (the advisory) is missing');
    if (typeof name !== 'string' || name.trim() === '') problems.push('"package" is missing');
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH)
      problems.push(`"reason" must say why, in ${MIN_REASON_LENGTH} characters or more`);
    // A real calendar day: Date.parse rolls 2027-02-30 over to March, so the day must read back.
    const day = typeof expires === 'string' ? dayOf(expires) : Number.NaN;
    if (Number.isNaN(day) || today(new Date(day * DAY_MS)) !== expires)
      problems.push('"expires" must be a date, YYYY-MM-DD');
    else if (day - dayOf(on) > MAX_ACCEPTANCE_DAYS)
      problems.push(`"expires" is more than ${MAX_ACCEPTANCE_DAYS} days ahead`);
    const key = `${id} ${name}`;
    if (problems.length === 0 && seen.has(key)) problems.push(`${key} is accepted twice`);
    if (problems.length > 0) errors.push(`${at}: ${problems.join('; ')}`);
    else {
      seen.add(key);
      accepted.push({ id, package: name, reason: reason.trim(), expires });
    }
  });
  return { accepted, errors };
}

/**
 * parseAllowList() of the file at `path`; a missing file accepts nothing.
 * @param {string} path
 * @param {string} on
 */
export function readAllowList(path, on) {
  if (!existsSync(path)) return { accepted: [], errors: [] };
  try {
    return parseAllowList(JSON.parse(readFileSync(path, 'utf8')), on);
  } catch (error) {
    return { accepted: [], errors: [`${path}: ${/** @type {Error} */ (error).message}`] };
  }
}

/**
 * @typedef {Advisory & { acceptance?: Acceptance, expired?: boolean }} Judged
 * @typedef {object} Verdict
 * @property {Judged[]} failing   high or critical, not accepted (or accepted until a past day)
 * @property {Judged[]} accepted  accepted by an unexpired entry, whatever their severity
 * @property {Judged[]} reported  moderate, low or info: listed, not failing
 * @property {Acceptance[]} unused entries that match no advisory (fixed since: remove them)
 */

/**
 * Sorts the advisories by the allow list, on the day `on`.
 * @param {Advisory[]} advisories
 * @param {Acceptance[]} acceptances
 * @param {string} on
 * @returns {Verdict}
 */
export function judge(advisories, acceptances, on) {
  /** @type {Verdict} */
  const verdict = { failing: [], accepted: [], reported: [], unused: [] };
  const used = new Set();
  for (const advisory of advisories) {
    const acceptance = acceptances.find(
      (a) => a.id === advisory.id && a.package === advisory.package,
    );
    if (acceptance) used.add(acceptance);
    const expired = acceptance !== undefined && dayOf(acceptance.expires) < dayOf(on);
    if (acceptance && !expired) verdict.accepted.push({ ...advisory, acceptance });
    else if (FAILING.has(advisory.severity))
      verdict.failing.push(acceptance ? { ...advisory, acceptance, expired } : advisory);
    else verdict.reported.push(advisory);
  }
  verdict.unused = acceptances.filter((a) => !used.has(a));
  return verdict;
}
