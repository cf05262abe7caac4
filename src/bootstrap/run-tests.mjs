// Runs the compiled specs with node:test: unit specs (`*.spec.js`, next to the code) in parallel,
// end-to-end specs (`test/**/*.e2e-spec.js`) one file at a time, since they share the database.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { underHostLock } from './host-lock.mjs';

const SUITES = {
  // dist/deploy: the infrastructure code's specs (deploy/aws, synthesized offline).
  unit: {
    roots: ['dist/apps', 'dist/libs', 'dist/src', 'dist/deploy'],
    suffix: '.spec.js',
    concurrency: 2,
  },
  e2e: { roots: ['dist/test'], suffix: '.e2e-spec.js', concurrency: 1 },
  // The production dependency tree (npm run audit:deps) against the npm registry, and the audit's
  // verdicts against a registry on loopback.
  deps: { roots: ['dist/test/deps'], suffix: '.deps-spec.js', concurrency: 1 },
  // Production topology on this machine (npm run host:up): Nginx, Supervisor; one file at a time.
  ops: { roots: ['dist/test/ops'], suffix: '.ops-spec.js', concurrency: 1 },
  // Faults injected into that topology (RELIABILITY.md): Redis and PostgreSQL down, kill -9, CPU load.
  // Exits once its tests have reported, even if a failed fault left a handle open (a client
  // reconnecting to a Redis the suite stopped): a hang would hide the failure.
  faults: {
    roots: ['dist/test/faults'],
    suffix: '.fault-spec.js',
    concurrency: 1,
    forceExit: true,
  },
  // The same build as a fleet of hosts in network namespaces (issue 14), faults between hosts. It
  // takes the host lock: its figures are CPU-bound, and the other hosted suites would skew them.
  fleet: { roots: ['dist/test/fleet'], suffix: '.fleet-spec.js', concurrency: 1, locked: true },
};

function find(dir, suffix, out = []) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) find(path, suffix, out);
    else if (e.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

/**
 * Whether the spec compiled to `file` still has its source: `tsc -b` never deletes the output of a
 * moved or removed spec (test/fuzz.e2e-spec.ts became test/fuzz/fuzz.e2e-spec.ts), which would
 * otherwise keep running from an old checkout's dist/.
 */
const hasSource = (file) => existsSync(file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

function runSuite(name, env, grep) {
  const suite = SUITES[name];
  const compiled = suite.roots.flatMap((root) => find(root, suite.suffix));
  const stale = compiled.filter((f) => !hasSource(f));
  if (stale.length > 0)
    process.stderr.write(
      `skipping ${stale.length} compiled spec(s) whose source is gone: ${stale.join(', ')}\n`,
    );
  // `--grep=a,b` keeps the spec files whose path contains any of the texts.
  const texts = grep ? grep.split(',').filter(Boolean) : [];
  const files = compiled.filter(
    (f) => hasSource(f) && (texts.length === 0 || texts.some((t) => f.includes(t))),
  );
  if (files.length === 0) return Promise.resolve({ passed: 0, failed: 0, skipped: 0 });
  const tap = `dist/.${name}-results.tap`;
  rmSync(tap, { force: true });
  process.stderr.write(`\n── ${name} (${files.length} files) ──\n`);
  const args = [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${suite.concurrency}`,
    ...(suite.forceExit ? ['--test-force-exit'] : []),
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
  const say = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
  const [cmd, ...argv] = suite.locked
    ? underHostLock([process.execPath, ...args], say)
    : [process.execPath, ...args];
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { env, stdio: 'inherit' });
    child.on('exit', (code) => {
      const text = (() => {
        try {
          return readFileSync(tap, 'utf8');
        } catch {
          return '';
        }
      })();
      const count = (label) => Number(text.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      const result = {
        passed: count('pass'),
        failed: count('fail') + count('cancelled'),
        skipped: count('skipped'),
      };
      // A crash before any summary still counts as a failure.
      if (code !== 0 && result.failed === 0) result.failed = 1;
      resolve(result);
    });
  });
}

export async function runSuites(names, env = process.env, grep = undefined) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const name of names) {
    const r = await runSuite(name, env, grep);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
  }
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'e2e'];
  const { passed, failed, skipped } = await runSuites(names);
  process.stdout.write(
    `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  process.exit(failed > 0 ? 1 : 0);
}
