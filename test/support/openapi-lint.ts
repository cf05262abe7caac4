import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** One finding of `redocly lint --format=json`. */
export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string;
}

/**
 * The warnings redocly.yaml accepts, each with its reason there: the public health routes answer
 * only 200/503, so they have no 4XX response. Any other warning fails the lint specs.
 */
export const ACCEPTED_WARNINGS: readonly { ruleId: string; pointer: RegExp }[] = [
  {
    ruleId: 'operation-4xx-response',
    pointer: /^#\/paths\/~1health~1(live|ready)\/get\/responses$/,
  },
];

export const isAccepted = (p: LintProblem): boolean =>
  p.severity === 'warn' &&
  ACCEPTED_WARNINGS.some((a) => a.ruleId === p.ruleId && a.pointer.test(p.pointer));

/**
 * Runs the installed Redocly CLI on `file` with the repository's redocly.yaml (recommended rules),
 * offline: no telemetry, no update check (which would ask the npm registry).
 */
export function redoclyLint(root: string, file: string): LintProblem[] {
  const cli = createRequire(join(root, 'package.json')).resolve('@redocly/cli/bin/cli.js');
  const run = spawnSync(
    process.execPath,
    [cli, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format=json'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      },
    },
  );
  const start = run.stdout.indexOf('{');
  if (start < 0)
    throw new Error(`redocly lint printed no report (exit ${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout.slice(start)) as {
    problems: {
      ruleId: string;
      severity: LintProblem['severity'];
      message: string;
      location: { pointer: string }[];
    }[];
  };
  return report.problems.map((p) => ({
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
    pointer: p.location[0]?.pointer ?? '',
  }));
}

/** "error no-empty-servers at #/servers: ..." lines for an assertion message. */
export const describeProblems = (problems: LintProblem[]): string =>
  problems.map((p) => `${p.severity} ${p.ruleId} at ${p.pointer}: ${p.message}`).join('\n');
