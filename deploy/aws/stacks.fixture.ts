// For the specs: the app built as `cdk synth` builds it, offline — an explicit account and region,
// and the context a deployment would have committed (deploy/aws/cdk.context.json), so no lookup is
// left for a network to answer. The built-in CloudFormation schema validation is off here (it takes
// ~15 s a synthesis); app.spec.ts runs it once over both stacks.
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineStacks } from './app.js';
import { readSettings } from './settings.js';

export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** What `cdk synth` with credentials would have written to cdk.context.json for TEST_ENV. */
export const COMMITTED_CONTEXT = {
  [`availability-zones:account=${TEST_ENV.account}:region=${TEST_ENV.region}`]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], // prettier-ignore
};

/** A deployment's settings, as `-c key=value` would give them. */
export const SETTINGS: Record<string, string> = {
  repo: 'https://github.com/example/market-scanner.git',
  ref: 'v1.4.0',
  domain: 'scanner.example.org',
  email: 'ops@example.org',
  alarmEmail: 'oncall@example.org',
  certificateArn: `arn:aws:acm:${TEST_ENV.region}:${TEST_ENV.account}:certificate/11111111-2222-3333-4444-555555555555`, // prettier-ignore
};

export interface Built {
  readonly app: App;
  readonly host: ReturnType<typeof defineStacks>['host'];
  readonly fleet: ReturnType<typeof defineStacks>['fleet'];
}

/** Both stacks in a new app; `context` adds to (or overrides) SETTINGS and COMMITTED_CONTEXT. */
export function buildApp(
  context: Record<string, unknown> = {},
  builtinValidation = false,
  outdir?: string,
): Built {
  const all: Record<string, unknown> = { ...COMMITTED_CONTEXT, ...SETTINGS, ...context };
  const app = new App({ context: all, builtinCloudFormationValidation: builtinValidation, outdir });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  return { app, ...defineStacks(app, settings, TEST_ENV) };
}

/** The synthesized template of a stack (synthesizes the app once; aspects have run after it). */
export const templateOf = (stack: Stack): Template => Template.fromStack(stack);

/**
 * A stack's EC2 user data (or a launch template's) as the text the instance runs, with
 * CloudFormation references shown as `${Ref:…}` / `${Attr:…}`.
 */
export function userDataText(value: unknown): string {
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Fn::Base64' in o) return render(o['Fn::Base64']);
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Ref' in o) return `\${Ref:${String(o['Ref'])}}`;
    if ('Fn::GetAtt' in o) return `\${Attr:${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    return JSON.stringify(v);
  };
  return render(value);
}
