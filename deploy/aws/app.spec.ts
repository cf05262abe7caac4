import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Peer, Port } from 'aws-cdk-lib/aws-ec2';
import { defineStacks, STACK_NAMES } from './app.js';
import { PLACEHOLDERS, readSettings } from './settings.js';
import { buildApp, COMMITTED_CONTEXT, SETTINGS, TEST_ENV } from './stacks.fixture.js';

const reader = (values: Record<string, string>) => (key: string) => values[key];

describe('settings', () => {
  it('names the placeholders still in use, and none once every key is given', () => {
    assert.deepEqual(readSettings(reader({})).placeholders, ['repo', 'domain', 'certificateArn']);
    assert.equal(readSettings(reader({})).host.provision.domain, PLACEHOLDERS.domain);
    assert.deepEqual(readSettings(reader(SETTINGS)).placeholders, []);
  });

  it('refuses a malformed number, flag or half a hosted zone, naming the key', () => {
    assert.throws(() => readSettings(reader({ apiProcs: 'two' })), /apiProcs/);
    assert.throws(() => readSettings(reader({ withPostgres: 'yes' })), /withPostgres/);
    assert.throws(() => readSettings(reader({ hostedZoneId: 'Z1' })), /hostedZoneName/);
  });

  it('defaults the single host to its own PostgreSQL, two api and two worker processes', () => {
    const { provision } = readSettings(reader(SETTINGS)).host;
    assert.deepEqual(
      { withPostgres: provision.withPostgres, api: provision.apiProcs, workers: provision.workerProcs, ref: provision.ref }, // prettier-ignore
      { withPostgres: true, api: 2, workers: 2, ref: 'v1.4.0' },
    );
  });
});

describe('cdk synth', () => {
  it("synthesizes both stacks through every check, CDK's CloudFormation validation included", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const app = new App({ outdir, context: { ...COMMITTED_CONTEXT, ...SETTINGS } });
    defineStacks(
      app,
      readSettings((key) => app.node.tryGetContext(key)),
      TEST_ENV,
    );
    const assembly = app.synth(); // throws when a registered rule pack reports a violation
    assert.deepEqual(assembly.stacks.map((s) => s.stackName).sort(), [STACK_NAMES.fleet, STACK_NAMES.host]); // prettier-ignore
    for (const stack of assembly.stacks) assert.ok(existsSync(stack.templateFullPath));
    assert.equal(assembly.manifest.missing, undefined);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const findings = (report.pluginReports as { violations?: unknown[] }[]).flatMap((r) => r.violations ?? []); // prettier-ignore
    assert.deepEqual(findings, []);
  });

  it('stops synthesis when a stack breaks a rule, naming it in the report', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const { app, host } = buildApp({}, false, outdir);
    host.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(22));
    // CDK prints the report as it fails; the spec reads the file instead of the console.
    const print = { log: console.log, error: console.error };
    console.log = console.error = () => {};
    try {
      assert.throws(() => app.synth(), /validation ?failed/i);
    } finally {
      Object.assign(console, print);
    }
    const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
    assert.match(report, /MarketScanner-NoSshIngress/);
    assert.match(report, /MarketScannerHost\/Web\/Resource/);
  });
});
