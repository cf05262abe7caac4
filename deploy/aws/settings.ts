// What a deployment chooses, read from CDK context (`-c key=value` on the cdk command line, or
// deploy/aws/cdk.context.json): the app builds both stacks from it. Every key has a placeholder
// default so `npm run cdk:synth` works offline on a fresh clone; `placeholders` lists the ones still
// in use, which app.ts prints (a deploy with them would create a host nobody can reach by name).
import type { App } from 'aws-cdk-lib';
import type { FleetStackProps } from './fleet.stack.js';
import type { SingleHostStackProps } from './single-host.stack.js';

export const PLACEHOLDERS = {
  repo: 'https://github.com/OWNER/market-scanner.git',
  domain: 'api.example.com',
  certificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
} as const;

export interface Settings {
  readonly host: Omit<SingleHostStackProps, 'env'>;
  readonly fleet: Omit<FleetStackProps, 'env'>;
  /** The `Environment` tag of every resource (the CI deploys to `production`). */
  readonly environment: string;
  /** Context keys still at their placeholder value. */
  readonly placeholders: string[];
}

type Context = (key: string) => unknown;

const text = (ctx: Context, key: string): string | undefined => {
  const v = ctx(key);
  return v === undefined || v === '' ? undefined : String(v);
};
const int = (ctx: Context, key: string, fallback: number): number => {
  const v = text(ctx, key);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v))
    throw new Error(`context ${key}: ${JSON.stringify(v)} is not a whole number`);
  return Number(v);
};
const bool = (ctx: Context, key: string, fallback: boolean): boolean => {
  const v = text(ctx, key);
  if (v === undefined) return fallback;
  if (v !== 'true' && v !== 'false') throw new Error(`context ${key}: use true or false`);
  return v === 'true';
};

/** The settings from a context reader (`app.node.tryGetContext` in the app, a map in the specs). */
export function readSettings(ctx: Context): Settings {
  const placeholders: string[] = [];
  const orPlaceholder = (key: keyof typeof PLACEHOLDERS): string => {
    const v = text(ctx, key);
    if (v !== undefined) return v;
    placeholders.push(key);
    return PLACEHOLDERS[key];
  };
  const source = { repoUrl: orPlaceholder('repo'), ref: text(ctx, 'ref') ?? 'main' };
  const alarmEmail = text(ctx, 'alarmEmail');
  const ecrRepository = text(ctx, 'ecrRepository');
  const zoneId = text(ctx, 'hostedZoneId');
  const zoneName = text(ctx, 'hostedZoneName');
  if ((zoneId === undefined) !== (zoneName === undefined))
    throw new Error('context hostedZoneId and hostedZoneName go together');
  const host: Settings['host'] = {
    provision: {
      ...source,
      domain: orPlaceholder('domain'),
      email: text(ctx, 'email'),
      withPostgres: bool(ctx, 'withPostgres', true),
      apiProcs: int(ctx, 'apiProcs', 2),
      workerProcs: int(ctx, 'workerProcs', 2),
      redisMaxmemory: text(ctx, 'redisMaxmemory'),
    },
    instanceType: text(ctx, 'instanceType'),
    volumeGb: int(ctx, 'volumeGb', 30),
    hostedZone: zoneId && zoneName ? { id: zoneId, name: zoneName } : undefined,
    vpcId: text(ctx, 'vpcId'),
    alarmEmail,
    ecrRepository,
  };
  const fleet: Settings['fleet'] = {
    source,
    certificateArn: orPlaceholder('certificateArn'),
    api: { max: int(ctx, 'fleetApiMax', 6) },
    workers: { max: int(ctx, 'fleetWorkersMax', 8) },
    data: { multiAz: bool(ctx, 'fleetMultiAz', true) },
    natGateways: int(ctx, 'fleetNatGateways', 1),
    alarmEmail,
    ecrRepository,
  };
  const environment = text(ctx, 'environment') ?? 'production';
  return { host, fleet, environment, placeholders: [...new Set(placeholders)] };
}

/** `app.node.tryGetContext` as a reader. */
export const contextOf =
  (app: App): Context =>
  (key) =>
    app.node.tryGetContext(key);
