// @ts-check
// The audit's result: one object (printed as JSON with --json) and its text form.
import { SEVERITIES } from './advisories.mjs';

/**
 * @typedef {import('./advisories.mjs').AdvisoryOutcome} AdvisoryOutcome
 * @typedef {import('./allow-list.mjs').Verdict} Verdict
 * @typedef {import('./allow-list.mjs').Judged} Judged
 * @typedef {import('./registry.mjs').RegistryOutcome} RegistryOutcome
 * @typedef {object} AuditResult
 * @property {string} date          the day it ran (YYYY-MM-DD, UTC)
 * @property {string} registry
 * @property {number} packages      locked production versions
 * @property {AdvisoryOutcome} advisories
 * @property {Verdict | null} verdict  the advisories sorted by the allow list, when audited
 * @property {RegistryOutcome} registryCheck
 * @property {string[]} allowListErrors
 * @property {string[]} failures    why the audit failed (empty: it did not)
 * @property {string[]} skipped     the parts that could not run, with the reason
 * @property {0 | 1 | 2} exitCode   0 clean, 1 failed, 2 nothing failed but a part was skipped
 */

/**
 * @param {Omit<AuditResult, 'failures' | 'skipped' | 'exitCode'>} parts
 * @returns {AuditResult}
 */
export function conclude(parts) {
  const failures = [...parts.allowListErrors.map((e) => `allow list: ${e}`)];
  const skipped = [];
  const { advisories, verdict, registryCheck } = parts;
  if (advisories.status === 'error') failures.push(`advisories: ${advisories.reason}`);
  if (advisories.status === 'skipped') skipped.push(`advisories: ${advisories.reason}`);
  for (const a of verdict?.failing ?? [])
    failures.push(
      `${a.severity} advisory ${a.id} in ${a.package}${a.expired ? ` (accepted until ${a.acceptance?.expires}, expired)` : ''}: ${a.title}`,
    );
  if (registryCheck.status === 'skipped') skipped.push(`registry check: ${registryCheck.reason}`);
  else {
    for (const n of registryCheck.unpublished)
      failures.push(`${n.package}@${n.version} is no longer published: ${n.detail}`);
    for (const n of registryCheck.mismatched)
      failures.push(`${n.package}@${n.version} differs from the published tarball: ${n.detail}`);
    if (registryCheck.unchecked.length > 0)
      skipped.push(
        `registry check: no answer for ${registryCheck.unchecked.map((n) => `${n.package}@${n.version} (${n.detail})`).join(', ')}`,
      );
  }
  const exitCode = failures.length > 0 ? 1 : skipped.length > 0 ? 2 : 0;
  return { ...parts, failures, skipped, exitCode };
}

/** @param {Judged} a */
const line = (a) =>
  `  ${a.severity.padEnd(8)} ${a.id} ${a.package} ${a.range} — ${a.title}${a.url ? ` (${a.url})` : ''}`;

/**
 * @param {AdvisoryOutcome} advisories
 * @param {Verdict | null} verdict
 * @returns {string[]}
 */
function advisoryLines(advisories, verdict) {
  if (advisories.status !== 'audited')
    return [`advisories: ${advisories.status.toUpperCase()} — ${advisories.reason}`];
  if (!verdict) return [];
  const all = [...verdict.failing, ...verdict.accepted, ...verdict.reported];
  const counts = SEVERITIES.map((s) => `${all.filter((a) => a.severity === s).length} ${s}`);
  const out = [
    `advisories (npm audit --omit=dev, ${advisories.dependencies} packages): ${counts.join(', ')}`,
  ];
  if (verdict.failing.length > 0) out.push(' failing:', ...verdict.failing.map(line));
  for (const a of verdict.accepted)
    out.push(
      ` accepted until ${a.acceptance?.expires}:`,
      line(a),
      `    because ${a.acceptance?.reason}`,
    );
  if (verdict.reported.length > 0)
    out.push(' below high (listed, not failing):', ...verdict.reported.map(line));
  for (const u of verdict.unused)
    out.push(` allow-list entry ${u.id} for ${u.package} matches no advisory any more: remove it`);
  return out;
}

/**
 * @param {RegistryOutcome} check
 * @returns {string[]}
 */
function registryLines(check) {
  if (check.status === 'skipped') return [`registry: SKIPPED — ${check.reason}`];
  return [
    `registry: ${check.versions} versions — ${check.unpublished.length} unpublished, ` +
      `${check.mismatched.length} integrity mismatches, ${check.unverifiable.length} unverifiable, ` +
      `${check.deprecated.length} deprecated, ${check.unchecked.length} unanswered`,
    ...[...check.unverifiable, ...check.deprecated].map(
      (n) => `  ${n.package}@${n.version}: ${n.detail}`,
    ),
  ];
}

/**
 * @param {AuditResult} result
 * @returns {string}
 */
export function formatText(result) {
  const verdictLine = ['passed', 'failed', 'incomplete: a part was skipped'][result.exitCode];
  return `${[
    `dependency audit, ${result.date}: ${result.packages} locked production versions, ` +
      `registry ${result.registry}`,
    ...advisoryLines(result.advisories, result.verdict),
    ...registryLines(result.registryCheck),
    ...result.failures.map((f) => `FAIL ${f}`),
    ...result.skipped.map((s) => `SKIPPED ${s}`),
    `dependency audit ${verdictLine} (exit ${result.exitCode})`,
  ].join('\n')}\n`;
}
