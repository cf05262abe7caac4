// The whole offline check of an overlay: schemas (unknown fields refused) and the rules, with what
// the rules compare against read from the repository itself — the config schema, the api's OpenAPI
// document, libs/jobs' queue name and drain bound, BullMQ's own key names, the example Secrets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '#config';
import { DRAIN_TIMEOUT_MS, QUEUES } from '#jobs';
import { autoscalersOwnTheirReplicas, kedaScalesOnTheScanBacklog } from './autoscaling-rules.js';
import { parseObjects, type K8sObject } from './kustomize.js';
import type { Rule, RuleContext } from './manifest-model.js';
import { checkSchemas, formatProblems } from './schema-check.js';
import {
  networkPoliciesCoverEveryWorkload,
  secretsAreReferencedNeverCommitted,
  servicesAndIngressReachRealPorts,
} from './traffic-rules.js';
import {
  everyVariableIsOneTheAppReads,
  filesTheConfigNamesAreMounted,
  migrationsRunOnceAsAJob,
  podsAreSizedFromMeasuredMemory,
  podsRunLockedDown,
  probesHitTheHealthRoutes,
  shutdownFitsTheGracePeriod,
} from './workload-rules.js';

export const OVERLAYS = ['single-node', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** Each rule under the sentence the spec names its test by. */
export const RULES: Record<string, Rule> = {
  'api and worker probe the real health routes on the port the app listens on':
    probesHitTheHealthRoutes,
  'shutdown fits the grace period (worker drain, api preStop and longest ?wait)':
    shutdownFitsTheGracePeriod,
  'every variable is one the app reads, every credential from a Secret key of the same name':
    everyVariableIsOneTheAppReads,
  'files the configuration names (CA certificates) are mounted where the apps read them':
    filesTheConfigNamesAreMounted,
  'every pod runs non-root, read-only, without capabilities, under RuntimeDefault seccomp':
    podsRunLockedDown,
  'every container is sized (the apps at least their measured peak) and its image pinned':
    podsAreSizedFromMeasuredMemory,
  'migrations run once, first, in a Job of one pod': migrationsRunOnceAsAJob,
  'network policies deny by default and let through exactly what each workload needs':
    networkPoliciesCoverEveryWorkload,
  'Services, disruption budgets and the Ingress reach real pods and ports, /metrics stays inside':
    servicesAndIngressReachRealPorts,
  'Secrets are referenced by name and key, documented in the examples, never rendered':
    secretsAreReferencedNeverCommitted,
  'autoscalers own the replica counts: HPA for the api, KEDA for the workers, in production only':
    autoscalersOwnTheirReplicas,
  'KEDA sums the waiting and prioritized scans under the keys BullMQ writes':
    kedaScalesOnTheScanBacklog,
};

/** The health routes and the longest `?wait` of POST /v1/scans, from the api's OpenAPI document. */
function fromOpenApi(root: string) {
  type Operation = {
    operationId?: string;
    parameters?: { name: string; schema?: { maximum?: number } }[];
  };
  const doc = JSON.parse(readFileSync(join(root, 'docs/openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const find = (id: string) => {
    for (const [path, operations] of Object.entries(doc.paths))
      for (const operation of Object.values(operations))
        if (operation.operationId === id) return { path, operation };
    throw new Error(`docs/openapi.json has no operation ${id}`);
  };
  const wait = find('createScan').operation.parameters?.find((p) => p.name === 'wait');
  return {
    healthPaths: { live: find('getLiveness').path, ready: find('getReadiness').path },
    maxWaitSeconds: wait?.schema?.maximum ?? 0,
  };
}

export function ruleContext(overlay: Overlay, objects: K8sObject[], root: string): RuleContext {
  const examples = join(root, 'deploy/k8s/examples', `${overlay}-secrets.yaml`);
  return {
    overlay,
    objects,
    configKeys: Object.keys(configSchema.shape),
    configDefaults: configSchema.parse({}) as Record<string, unknown>,
    ...fromOpenApi(root),
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
    queueName: QUEUES.scan,
    exampleSecrets: parseObjects(readFileSync(examples, 'utf8'), examples),
  };
}

/** Every problem of an overlay's rendered objects, schema problems first; empty when it passes. */
export async function checkOverlay(
  overlay: Overlay,
  objects: K8sObject[],
  root: string,
): Promise<string[]> {
  const schema = await checkSchemas(objects, root);
  const ctx = ruleContext(overlay, objects, root);
  return [
    ...(schema.length ? [formatProblems(schema)] : []),
    ...Object.entries(RULES).flatMap(([name, rule]) => rule(ctx).map((p) => `${name}: ${p}`)),
  ];
}
