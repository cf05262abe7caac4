// `npm run audit:deps` as `npm test` runs it: first on this repository against the configured
// registry (skipped, with the reason, where the registry refuses the advisory endpoint or does not
// answer), then on a fixture project against a registry on loopback that publishes advisories, so
// that the verdicts — fail, accept with a reason, expire, skip — are exercised on every machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  startFakeRegistry,
  writeFixtureProject,
  type BulkAdvisory,
  type FakeRegistry,
  type FakeRegistryOptions,
} from './fake-registry.js';

// Compiled to dist/test/deps/: the repository's root is three up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'src/bootstrap/audit-deps.mjs');

// The fields of the CLI's --json output these tests read (src/bootstrap/audit/report.mjs).
interface Judged {
  id: string;
  package: string;
  severity: string;
  expired?: boolean;
  acceptance?: { reason: string; expires: string };
}
interface AuditResult {
  exitCode: number;
  packages: number;
  failures: string[];
  skipped: string[];
  allowListErrors: string[];
  advisories: { status: string; reason?: string };
  verdict: { failing: Judged[]; accepted: Judged[]; reported: Judged[] } | null;
  registryCheck:
    | { status: 'skipped'; reason: string }
    | { status: 'checked'; versions: number; unpublished: unknown[]; mismatched: unknown[] };
}

function audit(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; result: AuditResult }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--json', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, result: JSON.parse(stdout) as AuditResult });
      } catch {
        reject(new Error(`audit:deps printed no JSON (exit ${code}): ${stdout}${stderr}`));
      }
    });
  });
}

/** A loopback port nothing listens on: the registry is unreachable there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dayOffset = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('this repository: npm run audit:deps against the configured registry', () => {
  let result: AuditResult;
  let code: number | null;

  before(async () => {
    ({ code, result } = await audit([]));
    process.stdout.write(
      `dependency audit: ${result.packages} production versions; advisories ${result.advisories.status}` +
        `${result.advisories.reason ? ` (${result.advisories.reason})` : ''}; registry ${result.registryCheck.status}\n`,
    );
  });

  it('has a valid audit-allow.json', () => {
    assert.deepEqual(result.allowListErrors, []);
  });

  it('finds no high or critical advisory that audit-allow.json does not accept', (t) => {
    if (result.advisories.status === 'skipped') return t.skip(result.advisories.reason);
    assert.equal(result.advisories.status, 'audited', result.advisories.reason);
    assert.deepEqual(result.verdict?.failing, []);
  });

  it('finds every locked production version published, with the integrity the lockfile pins', (t) => {
    const check = result.registryCheck;
    if (check.status === 'skipped') return t.skip(check.reason);
    assert.equal(check.versions, result.packages);
    assert.deepEqual(check.unpublished, []);
    assert.deepEqual(check.mismatched, []);
  });

  it('exits 1 only with a failure, 2 only with a skipped part', () => {
    assert.equal(code, result.failures.length > 0 ? 1 : result.skipped.length > 0 ? 2 : 0);
  });
});

describe('a fixture project against a registry on loopback', () => {
  const project = writeFixtureProject();
  const allowList = join(project, 'audit-allow.json');
  // npm caches the advisories it is sent: the fixture's made-up ones stay in a cache of their own.
  const env = { ...process.env, npm_config_cache: join(project, '.npm-cache') };
  let registry: FakeRegistry | undefined;

  const critical: BulkAdvisory = {
    id: 1_100_001,
    url: 'https://github.com/advisories/GHSA-c2xq-4v8r-9w3m',
    title: 'Prototype pollution in fixture-beta',
    severity: 'critical',
    vulnerable_versions: '<2.0.1',
  };
  const devOnly: BulkAdvisory = {
    id: 1_100_002,
    url: 'https://github.com/advisories/GHSA-g5hj-7p2q-wx4c',
    title: 'ReDoS in fixture-gamma',
    severity: 'high',
    vulnerable_versions: '*',
  };

  async function auditWith(options: FakeRegistryOptions, accepted?: object[]) {
    await registry?.close();
    registry = await startFakeRegistry(options);
    writeFileSync(allowList, JSON.stringify({ accepted: accepted ?? [] }));
    return audit(['--root', project, '--registry', registry.url], env);
  }

  after(async () => {
    await registry?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('fails on a critical advisory of a production dependency and ignores a dev-only one', async () => {
    const advisories = { 'fixture-beta': [critical], 'fixture-gamma': [devOnly] };
    const { code, result } = await auditWith({ advisories });
    assert.equal(code, 1);
    assert.equal(result.advisories.status, 'audited');
    assert.deepEqual(
      result.verdict?.failing.map((a) => [a.id, a.package, a.severity]),
      [['GHSA-c2xq-4v8r-9w3m', 'fixture-beta', 'critical']],
    );
    assert.match(
      result.failures.join('\n'),
      /critical advisory GHSA-c2xq-4v8r-9w3m in fixture-beta/,
    );
    // The endpoint was asked about the production packages only: npm sent no dev dependency.
    assert.ok(registry!.requests.includes('asked about fixture-alpha, fixture-beta'));
  });

  it('passes when audit-allow.json accepts the advisory, keeping the reason and the expiry', async () => {
    const acceptance = {
      id: 'GHSA-c2xq-4v8r-9w3m',
      package: 'fixture-beta',
      reason: 'only parses our own configuration, never client input',
      expires: dayOffset(30),
    };
    const { code, result } = await auditWith({ advisories: { 'fixture-beta': [critical] } }, [
      acceptance,
    ]);
    assert.equal(code, 0, result.failures.join('\n'));
    assert.deepEqual(result.verdict?.failing, []);
    assert.deepEqual(result.verdict?.accepted[0]?.acceptance, acceptance);
  });

  it('fails again the day after the acceptance expires', async () => {
    const { code, result } = await auditWith({ advisories: { 'fixture-beta': [critical] } }, [
      {
        id: 'GHSA-c2xq-4v8r-9w3m',
        package: 'fixture-beta',
        reason: 'only parses our own configuration, never client input',
        expires: dayOffset(-1),
      },
    ]);
    assert.equal(code, 1);
    assert.equal(result.verdict?.failing[0]?.expired, true);
    assert.match(result.failures.join('\n'), /expired/);
  });

  it('refuses an acceptance without a reason, or one that runs for more than a year', async () => {
    const { code, result } = await auditWith({}, [
      { id: 'GHSA-c2xq-4v8r-9w3m', package: 'fixture-beta', reason: 'ok', expires: dayOffset(30) },
      {
        id: 'GHSA-g5hj-7p2q-wx4c',
        package: 'fixture-gamma',
        reason: 'a dev tool, never shipped to production',
        expires: dayOffset(400),
      },
    ]);
    assert.equal(code, 1);
    assert.equal(result.allowListErrors.length, 2);
    assert.match(result.allowListErrors[0], /"reason" must say why/);
    assert.match(result.allowListErrors[1], /more than 366 days ahead/);
  });

  it('reports a refused advisory endpoint as skipped with the status, never as passed', async () => {
    const { code, result } = await auditWith({ refuseAdvisories: 405 });
    assert.equal(code, 2);
    assert.equal(result.advisories.status, 'skipped');
    assert.match(result.advisories.reason ?? '', /refuses its advisory endpoint: 405/);
    assert.equal(result.registryCheck.status, 'checked');
  });

  it('reports an unreachable registry as skipped, with the reason', async () => {
    const port = await closedPort();
    const registryUrl = `http://127.0.0.1:${port}/`;
    const { code, result } = await audit(['--root', project, '--registry', registryUrl], env);
    assert.equal(code, 2);
    assert.equal(result.advisories.status, 'skipped');
    assert.match(result.advisories.reason ?? '', /unreachable.*ECONNREFUSED/);
    assert.equal(result.registryCheck.status, 'skipped');
    assert.match((result.registryCheck as { reason: string }).reason, /unreachable: ECONNREFUSED/);
  });

  it('fails on a locked version the registry no longer has, or whose tarball differs', async () => {
    const { code, result } = await auditWith({
      unpublished: ['fixture-alpha@1.0.0'],
      tampered: ['fixture-beta@2.0.0'],
    });
    assert.equal(code, 1);
    assert.match(result.failures.join('\n'), /fixture-alpha@1\.0\.0 is no longer published/);
    assert.match(result.failures.join('\n'), /fixture-beta@2\.0\.0 differs from the published/);
  });
});
