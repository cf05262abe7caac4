// Rules on the autoscalers: production scales the api on CPU and the workers with KEDA on the scan
// backlog, read from the very keys BullMQ writes and summed; the trial overlay assumes neither.
import { QueueKeys } from 'bullmq';
import type { K8sObject } from './kustomize.js';
import { appContainers, byKind, envValue, type Rule, type RuleContext } from './manifest-model.js';

/**
 * The trigger metadata KEDA's `redis` scaler reads (pkg/scalers/redis_scaler.go: the fields of
 * redisMetadata and redisConnectionInfo; a field read from the environment also takes `<name>FromEnv`).
 * Trigger metadata is a free string map in KEDA's CRD, so a misspelt key passes the schema and
 * KEDA ignores it: this list catches it.
 */
const FROM_ENV = ['address', 'host', 'port', 'username', 'password'];
export const REDIS_SCALER_METADATA = new Set([
  ...['address', 'addresses', 'host', 'hosts', 'port', 'ports', 'username', 'password'],
  ...['sentinelUsername', 'sentinelPassword', 'sentinelMaster', 'unsafeSsl', 'enableTLS'],
  ...['listName', 'listLength', 'activationListLength', 'databaseIndex'],
  ...FROM_ENV.map((name) => `${name}FromEnv`),
]);
/** The parameters a TriggerAuthentication may give the redis scaler (its `authParams`). */
export const REDIS_SCALER_AUTH_PARAMS = new Set([
  ...['address', 'addresses', 'host', 'hosts', 'port', 'ports', 'username', 'password'],
  ...[
    'sentinelUsername',
    'sentinelPassword',
    'sentinelMaster',
    'tls',
    'ca',
    'cert',
    'key',
    'keyPassword',
  ],
]);

interface Trigger {
  type: string;
  name?: string;
  metadata: Record<string, string>;
  authenticationRef?: { name: string; kind?: string };
}
interface ScaledObjectSpec {
  scaleTargetRef: { name: string; kind?: string };
  minReplicaCount?: number;
  triggers: Trigger[];
  advanced?: { scalingModifiers?: { formula?: string; target?: string } };
}

const targetOf = (o: K8sObject) =>
  o.kind === 'ScaledObject'
    ? (o.spec as ScaledObjectSpec).scaleTargetRef.name
    : (o.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name;

export const autoscalersOwnTheirReplicas: Rule = (ctx) => {
  const problems: string[] = [];
  const hpas = byKind(ctx.objects, 'HorizontalPodAutoscaler');
  const scaled = byKind(ctx.objects, 'ScaledObject');
  const wanted = ctx.overlay === 'production' ? { api: 'HPA', worker: 'ScaledObject' } : {};
  for (const d of byKind(ctx.objects, 'Deployment')) {
    const name = d.metadata.name;
    const owners = [...hpas, ...scaled].filter((o) => targetOf(o) === name);
    const expected = wanted[name as keyof typeof wanted];
    if (owners.length > 1)
      problems.push(`Deployment/${name}: scaled by ${owners.length} autoscalers`);
    if (expected === 'HPA' && !hpas.some((h) => targetOf(h) === name))
      problems.push(`Deployment/${name}: no HorizontalPodAutoscaler`);
    if (expected === 'ScaledObject' && !scaled.some((s) => targetOf(s) === name))
      problems.push(`Deployment/${name}: no KEDA ScaledObject`);
    if (!expected && owners.length > 0)
      problems.push(`Deployment/${name}: autoscaled in ${ctx.overlay}`);
    // A replica count in the manifest would reset the autoscaler's on every apply.
    if ((d.spec as { replicas?: number }).replicas !== undefined)
      problems.push(`Deployment/${name}: sets replicas, which an autoscaler or the default owns`);
  }
  for (const h of hpas) {
    const metrics = (h.spec as { metrics?: { resource?: { name: string } }[] }).metrics ?? [];
    if (!metrics.some((m) => m.resource?.name === 'cpu'))
      problems.push(`HorizontalPodAutoscaler/${h.metadata.name}: does not scale on CPU`);
  }
  if (ctx.overlay !== 'production' && byKind(ctx.objects, 'TriggerAuthentication').length > 0)
    problems.push(`KEDA objects in ${ctx.overlay}, which does not assume KEDA`);
  return problems;
};

export const kedaScalesOnTheScanBacklog: Rule = (ctx) => {
  const problems: string[] = [];
  for (const so of byKind(ctx.objects, 'ScaledObject')) {
    const where = `ScaledObject/${so.metadata.name}`;
    const spec = so.spec as ScaledObjectSpec;
    const prefix = queuePrefix(ctx);
    const queue = new QueueKeys(prefix).getKeys(ctx.queueName);
    const lists = spec.triggers.map((t) => t.metadata.listName).sort();
    const keys = [queue.prioritized, queue.wait].sort();
    if (JSON.stringify(lists) !== JSON.stringify(keys))
      problems.push(
        `${where}: counts ${lists.join(', ')}, but BullMQ keeps waiting scans in ${keys.join(', ')}`,
      );
    if ((spec.minReplicaCount ?? 0) < 1)
      problems.push(`${where}: may scale to zero, stopping the market-data and maintenance queues`);
    for (const t of spec.triggers) {
      if (t.type !== 'redis' && t.type !== 'redis-cluster')
        problems.push(`${where}: trigger of type ${t.type}`);
      // BullMQ runs on a cluster only when all of a queue's keys share a slot (a hash tag).
      if (t.type === 'redis-cluster' && !/\{.+\}/.test(prefix))
        problems.push(`${where}: Redis Cluster, but QUEUE_PREFIX ${prefix} has no {hash tag}`);
      if (!t.name) problems.push(`${where}: a trigger without a name cannot enter the formula`);
      for (const key of Object.keys(t.metadata))
        if (!REDIS_SCALER_METADATA.has(key))
          problems.push(`${where}: the redis scaler has no ${key}`);
      problems.push(...authenticationProblems(ctx.objects, where, t));
      problems.push(...databaseIndexProblems(ctx.exampleSecrets, where, t));
    }
    // Without a formula KEDA scales on the largest trigger; the backlog is their sum.
    const modifiers = spec.advanced?.scalingModifiers;
    const terms = (modifiers?.formula ?? '')
      .split('+')
      .map((term) => term.trim())
      .sort();
    const names = spec.triggers.map((t) => t.name ?? '').sort();
    if (JSON.stringify(terms) !== JSON.stringify(names))
      problems.push(
        `${where}: formula "${modifiers?.formula}" is not the sum ${names.join(' + ')}`,
      );
    if (!(Number(modifiers?.target) > 0)) problems.push(`${where}: no positive target per worker`);
  }
  if (ctx.overlay === 'production' && byKind(ctx.objects, 'ScaledObject').length !== 1)
    problems.push('production needs exactly one ScaledObject (the workers)');
  return problems;
};

/** QUEUE_PREFIX as the workers have it (their env, their ConfigMap, else the app's default). */
function queuePrefix(ctx: RuleContext): string {
  const worker = appContainers(ctx.objects).find((a) => a.program === 'worker')?.container;
  const value = worker && envValue(worker, 'QUEUE_PREFIX', ctx.objects, ctx.configDefaults);
  return value ?? String(ctx.configDefaults.QUEUE_PREFIX);
}

function authenticationProblems(objects: K8sObject[], where: string, t: Trigger): string[] {
  if (!t.authenticationRef) return [];
  const auth = byKind(objects, 'TriggerAuthentication').find(
    (a) => a.metadata.name === t.authenticationRef!.name,
  );
  if (!auth) return [`${where}: no TriggerAuthentication ${t.authenticationRef.name}`];
  const refs = (auth.spec as { secretTargetRef?: { parameter: string }[] }).secretTargetRef ?? [];
  return refs
    .filter((r) => !REDIS_SCALER_AUTH_PARAMS.has(r.parameter))
    .map(
      (r) =>
        `TriggerAuthentication/${auth.metadata.name}: the redis scaler takes no ${r.parameter}`,
    );
}

/** KEDA must read the db REDIS_URL names (the example Secret's REDIS_URL stands for it). */
function databaseIndexProblems(examples: K8sObject[], where: string, t: Trigger): string[] {
  const secret = examples.find((s) => s.metadata.name === 'market-scanner-secrets');
  const url = (secret?.stringData as Record<string, string> | undefined)?.REDIS_URL;
  if (!url) return [`${where}: no example REDIS_URL to compare the db index with`];
  const db = new URL(url).pathname.slice(1) || '0';
  const index = t.metadata.databaseIndex ?? '0';
  return index === db ? [] : [`${where}: counts db ${index}, the apps use db ${db}`];
}
