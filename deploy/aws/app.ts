// The CDK app: both stacks, from the settings in CDK context (settings.ts), checked by cdk-nag's
// AwsSolutions pack and this project's (checks.ts) during synthesis — a violation stops it.
//   npm run cdk:synth                       offline, with the committed context: deploy/aws/cdk.out
//   npm run cdk -- diff|deploy|destroy …    the CDK CLI, with credentials (docs/operations.md)
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type Environment, Tags } from 'aws-cdk-lib';
import { addChecks } from './checks.js';
import { FleetStack } from './fleet.stack.js';
import { contextOf, readSettings, type Settings } from './settings.js';
import { SingleHostStack } from './single-host.stack.js';

export const STACK_NAMES = { host: 'MarketScannerHost', fleet: 'MarketScannerFleet' } as const;

/** Both stacks in `app`, for the account and region in `env` (none: deployable anywhere). */
export function defineStacks(app: App, settings: Settings, env?: Environment) {
  const host = new SingleHostStack(app, STACK_NAMES.host, {
    ...settings.host,
    env,
    description: 'Market Scanner on one EC2 host (docs/operations.md)',
  });
  const fleet = new FleetStack(app, STACK_NAMES.fleet, {
    ...settings.fleet,
    env,
    description:
      'Market Scanner as a fleet: ALB, api and worker Auto Scaling groups, RDS, ElastiCache',
  });
  // The CI's deploy job finds its hosts by these tags (SSM send-command, .github/workflows/ci-cd.yml).
  for (const stack of [host, fleet]) {
    Tags.of(stack).add('App', 'market-scanner');
    Tags.of(stack).add('Environment', settings.environment);
  }
  addChecks(app);
  return { host, fleet };
}

const HERE = new URL('../../../deploy/aws/', import.meta.url); // from dist/deploy/aws
/** Where `npm run cdk:synth` writes the templates (the CDK CLI says where through CDK_OUTDIR). */
const OUTDIR = fileURLToPath(new URL('cdk.out', HERE));

/**
 * The committed context — cdk.json's `context` and the lookups kept in cdk.context.json — which
 * the CDK CLI passes to the app itself; `npm run cdk:synth` runs the app without the CLI.
 */
function committedContext(): Record<string, unknown> {
  const read = (name: string): Record<string, unknown> => {
    const file = new URL(name, HERE);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}; // prettier-ignore
  };
  return {
    ...(read('cdk.json')['context'] as Record<string, unknown>),
    ...read('cdk.context.json'),
  };
}

function main(): void {
  const byCli = process.env['CDK_OUTDIR'] !== undefined;
  const app = new App(byCli ? {} : { outdir: OUTDIR, context: committedContext() });
  const settings = readSettings(contextOf(app));
  if (settings.placeholders.length > 0)
    process.stderr.write(
      `note: placeholder values in use for ${settings.placeholders.join(', ')}: set them (-c key=value, or the context in deploy/aws/cdk.json) before deploying\n`,
    );
  // The account and region: from the context (cdk.json, so that `npm run cdk:synth` offline can
  // use the lookups committed in cdk.context.json), else from the credentials the CDK CLI found.
  // Neither: environment-agnostic stacks (deployable anywhere; a VPC lookup needs both).
  const account = contextOf(app)('account') ?? process.env['CDK_DEFAULT_ACCOUNT'];
  const region = contextOf(app)('region') ?? process.env['CDK_DEFAULT_REGION'];
  const env = account && region ? { account: String(account), region: String(region) } : undefined;
  defineStacks(app, settings, env);
  const assembly = app.synth();
  if (!byCli)
    for (const stack of assembly.stacks)
      process.stdout.write(`${stack.stackName}: ${stack.templateFullPath}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
