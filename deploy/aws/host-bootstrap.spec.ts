import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SCRAPED_METRICS } from './cloudwatch-agent.js';
import { checkSetting, DATABASE_URL_FROM_SECRET, fleetHostScript, shellQuote, singleHostProvisionArgs, singleHostScript } from './host-bootstrap.js'; // prettier-ignore

const ROOT = new URL('../../../', import.meta.url); // dist/deploy/aws → the repository
const AGENT = { logGroupName: 'agent-logs', stackName: 'Test', ports: [3001, 3101] };
const HOST = {
  repoUrl: 'https://github.com/example/market-scanner.git',
  ref: 'main',
  domain: 'scanner.example.org',
  withPostgres: true,
  apiProcs: 2,
  workerProcs: 2,
};
const FLEET = {
  repoUrl: HOST.repoUrl,
  ref: 'v2.0.1',
  role: 'api' as const,
  procs: 2,
  region: 'eu-west-1',
  databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
  redisTokenArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-AbCdEf',
  redisHost: 'master.redis.example.cache.amazonaws.com',
  redisPort: '6379',
  trustedProxies: '10.0.0.0/16',
};

/** The files a script writes with `cat >PATH <<'MARKET_SCANNER_EOF'`. */
function heredocs(lines: string[]): Record<string, string> {
  const text = lines.join('\n');
  const out: Record<string, string> = {};
  for (const m of text.matchAll(
    /cat >(\S+) <<'MARKET_SCANNER_EOF'\n([\s\S]*?)\nMARKET_SCANNER_EOF/g,
  ))
    out[m[1]!] = m[2]!;
  return out;
}

describe('host bootstrap', () => {
  it('quotes any value so that the shell passes it through unchanged', () => {
    for (const value of ["it's", '$(id)', 'a b\tc', '"x"', '\\n', '`reboot`', ''])
      assert.equal(execFileSync('bash', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' }), value); // prettier-ignore
  });

  it('refuses settings that are not what they claim to be, at synthesis', () => {
    const bad: [Parameters<typeof checkSetting>[0], string][] = [
      ['domain', 'api.example.com; reboot'],
      ['domain', 'localhost'],
      ['ref', 'main && curl x | sh'],
      ['ref', '../../etc'],
      ['repoUrl', 'git@github.com:example/market-scanner.git'],
      ['repoUrl', 'http://github.com/example/market-scanner.git'],
      ['email', "o'brien@example.org"],
      ['redisMaxmemory', '1 gb'],
    ];
    for (const [name, value] of bad) assert.throws(() => checkSetting(name, value), new RegExp(name)); // prettier-ignore
    assert.equal(checkSetting('ref', 'release/2026-12'), 'release/2026-12');
    assert.throws(() => singleHostProvisionArgs({ ...HOST, apiProcs: 0 }), /apiProcs/);
  });

  it('passes only the options that are set to provision.sh', () => {
    assert.deepEqual(singleHostProvisionArgs({ ...HOST, withPostgres: false }), [
      '--domain', 'scanner.example.org', '--repo', HOST.repoUrl, '--ref', 'main', '--api-procs', '2', '--worker-procs', '2',
    ]); // prettier-ignore
  });

  it('writes scripts that bash parses (and shellcheck passes, where installed)', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    const scripts = {
      single: singleHostScript({ ...HOST, email: 'ops@example.org' }, AGENT),
      api: fleetHostScript(FLEET, AGENT),
      worker: fleetHostScript({ ...FLEET, role: 'worker', trustedProxies: undefined }, AGENT),
    };
    const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
    if (!shellcheck) t.diagnostic('shellcheck is not installed: bash -n only');
    for (const [name, lines] of Object.entries(scripts)) {
      const file = join(dir, `${name}.sh`);
      writeFileSync(file, `#!/bin/bash\n${lines.join('\n')}\n`);
      const checked = spawnSync(shellcheck ? 'shellcheck' : 'bash', [shellcheck ? '-sbash' : '-n', file], { encoding: 'utf8' }); // prettier-ignore
      assert.equal(checked.status, 0, `${name}: ${checked.stdout}${checked.stderr}`);
    }
    assert.ok(scripts.worker.some((l) => l.includes("'--role' 'worker'") && l.includes("'--worker-procs' '2'"))); // prettier-ignore
    assert.ok(!scripts.worker.some((l) => l.includes('TRUST_PROXY')));
  });

  it('has provision.sh know every option the stacks pass, and parse', () => {
    const script = readFileSync(new URL('deploy/ec2/provision.sh', ROOT), 'utf8');
    const used = new Set(
      [...singleHostScript({ ...HOST, email: 'a@b.org', redisMaxmemory: '1gb' }, AGENT), ...fleetHostScript(FLEET, AGENT)] // prettier-ignore
        .filter((line) => line.includes('/deploy/ec2/provision.sh '))
        .flatMap((line) => line.match(/(?<=^|[ '])--[a-z-]+/g) ?? []),
    );
    for (const option of used)
      assert.ok(new RegExp(`^\\s+${option}\\)`, 'm').test(script), `provision.sh has no ${option}`);
    assert.ok(used.has('--role') && used.has('--env-from'));
    const parsed = spawnSync('bash', [
      '-n',
      fileURLToPath(new URL('deploy/ec2/provision.sh', ROOT)),
    ]);
    assert.equal(parsed.status, 0, String(parsed.stderr));
  });

  it("merges --env-from into the env file with values intact (provision.sh's own set_env)", () => {
    const script = readFileSync(new URL('deploy/ec2/provision.sh', ROOT), 'utf8');
    const setEnv = /^set_env\(\) \{[\s\S]*?^\}$/m.exec(script)?.[0];
    const merge = /^if \[\[ -n \$env_from \]\]; then[\s\S]*?^fi$/m.exec(script)?.[0];
    assert.ok(setEnv && merge, 'set_env and the --env-from loop are where the spec looks');
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const envFile = join(dir, 'env');
    writeFileSync(
      envFile,
      "NODE_ENV='production'\nDATABASE_URL='postgres://scanner:CHANGE_ME@127.0.0.1:5432/scanner'\n",
    );
    const url = 'postgres://scanner:p%40ss%26%7C@db.example:5432/scanner?sslmode=verify-full&sslrootcert=/etc/x.pem'; // prettier-ignore
    const redis = 'rediss://:AbC123&|\\x@master.example:6379/0';
    writeFileSync(
      join(dir, 'extra'),
      `DATABASE_URL=${url}\n# a comment\n\nREDIS_URL=${redis}\nTRUST_PROXY=10.0.0.0/16`,
    );
    const run = spawnSync('bash', ['-c', `set -euo pipefail\ndie() { echo "$*" >&2; exit 1; }\nENV_FILE=${envFile}\nenv_from=${join(dir, 'extra')}\n${setEnv}\n${merge}`], { encoding: 'utf8' }); // prettier-ignore
    assert.equal(run.status, 0, run.stderr);
    const read = spawnSync('bash', ['-c', `set -a; . ${envFile}; printf '%s\\n' "$NODE_ENV" "$DATABASE_URL" "$REDIS_URL" "$TRUST_PROXY"`], { encoding: 'utf8' }); // prettier-ignore
    assert.deepEqual(read.stdout.split('\n').slice(0, 4), [
      'production',
      url,
      redis,
      '10.0.0.0/16',
    ]);
    assert.equal(
      readFileSync(envFile, 'utf8').match(/^DATABASE_URL=/gm)?.length,
      1,
      'replaced, not added',
    );
  });

  it('has the CloudWatch agent scrape every process and keep only the metrics the app defines', () => {
    const files = heredocs(singleHostScript(HOST, { ...AGENT, ports: [3001, 3002, 3101, 3102] }));
    const prometheus = JSON.parse(files['/opt/aws/amazon-cloudwatch-agent/etc/market-scanner-prometheus.yaml']!); // prettier-ignore
    const [job] = prometheus.scrape_configs;
    assert.deepEqual(job.static_configs[0].targets, ['127.0.0.1:3001', '127.0.0.1:3002', '127.0.0.1:3101', '127.0.0.1:3102']); // prettier-ignore
    assert.deepEqual(job.static_configs[0].labels, { Stack: 'Test' });
    assert.deepEqual(job.metric_relabel_configs, [{ source_labels: ['__name__'], regex: 'health_ready|scan_queue_backlog', action: 'keep' }]); // prettier-ignore
    const agent = JSON.parse(files['/opt/aws/amazon-cloudwatch-agent/etc/market-scanner.json']!);
    const emf = agent.logs.metrics_collected.prometheus.emf_processor;
    assert.equal(emf.metric_namespace, 'MarketScanner');
    assert.deepEqual(emf.metric_declaration[0].dimensions, [['Stack']]);
    // The names must be the app's: a renamed metric would leave the alarms and the scaling blind.
    const defined = readFileSync(new URL('libs/observability/metrics.ts', ROOT), 'utf8');
    for (const name of SCRAPED_METRICS)
      assert.ok(defined.includes(`name: '${name}'`), `no metric ${name}`);
  });

  it("builds DATABASE_URL from RDS's secret with the password URL-encoded and verify-full", (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed here (Amazon Linux has it)'); // prettier-ignore
    const script = fleetHostScript(FLEET, AGENT);
    assert.ok(script.some((l) => l.endsWith(`| python3 -c ${shellQuote(DATABASE_URL_FROM_SECRET)}`))); // prettier-ignore
    const secret = { username: 'scanner', password: "p@ss:w/rd?&=#%^ '", host: 'db.example', port: 5432, dbname: 'scanner' }; // prettier-ignore
    const out = execFileSync('python3', ['-c', DATABASE_URL_FROM_SECRET], { input: JSON.stringify(secret), encoding: 'utf8' }).trim(); // prettier-ignore
    assert.match(out, /^DATABASE_URL=postgres:\/\//);
    assert.ok(!out.includes("'"), 'no quote may reach the env file');
    const url = new URL(out.slice('DATABASE_URL='.length));
    assert.equal(decodeURIComponent(url.password), secret.password);
    assert.equal(`${url.hostname}:${url.port}${url.pathname}`, 'db.example:5432/scanner');
    assert.equal(url.searchParams.get('sslmode'), 'verify-full');
    assert.equal(url.searchParams.get('sslrootcert'), '/etc/market-scanner/tls/rds-ca.pem');
  });
});
