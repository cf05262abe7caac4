// What the manifest rules read from rendered objects: pod templates, containers, their environment,
// label selectors. Types are the models' own (kubernetes-models), so a rule reads real field names.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { K8sObject } from './kustomize.js';

export type { IContainer, IPodSpec, IProbe };
export type LabelSelector = INetworkPolicySpec['podSelector'];

/** What the checks know of the repository, beside the rendered objects. */
export interface RuleContext {
  overlay: 'single-node' | 'production';
  objects: K8sObject[];
  /** Every variable name libs/config reads, and their defaults (configSchema). */
  configKeys: readonly string[];
  configDefaults: Record<string, unknown>;
  /** From docs/openapi.json, which the api generates: the health routes and the longest ?wait. */
  healthPaths: { live: string; ready: string };
  maxWaitSeconds: number;
  /** How long a stopping worker waits for its running job (libs/jobs). */
  drainTimeoutMs: number;
  /** The scan queue's name (libs/jobs); its keys are `<QUEUE_PREFIX>:<name>:…` in Redis. */
  queueName: string;
  /** The overlay's example Secrets (deploy/k8s/examples): names and keys the operator creates. */
  exampleSecrets: K8sObject[];
}

export type Rule = (ctx: RuleContext) => string[];

export interface PodTemplate {
  owner: K8sObject;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: IPodSpec;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];

export function podTemplates(objects: K8sObject[]): PodTemplate[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((owner) => {
      const template = (owner.spec as { template: IPodTemplateSpec }).template;
      return {
        owner,
        name: `${owner.kind}/${owner.metadata.name}`,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec!,
      };
    });
}

export const componentOf = (t: PodTemplate): string =>
  t.labels['app.kubernetes.io/component'] ?? '';

export const containersOf = (t: PodTemplate): IContainer[] => [
  ...(t.spec.initContainers ?? []),
  ...t.spec.containers,
];

/** Which program of the image a container runs, by its command. */
export function programOf(c: IContainer): 'api' | 'worker' | 'cli' | undefined {
  const command = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (command.includes('dist/apps/api/main.js')) return 'api';
  if (command.includes('dist/apps/worker/main.js')) return 'worker';
  if (command.includes('dist/src/cli.js')) return 'cli';
  return undefined;
}

/** Containers that run the app's image (api, worker, the CLI), with their pod template. */
export const appContainers = (objects: K8sObject[]) =>
  podTemplates(objects).flatMap((t) =>
    containersOf(t)
      .filter((c) => programOf(c) !== undefined)
      .map((c) => ({ template: t, container: c, program: programOf(c)! })),
  );

export const configMaps = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'ConfigMap') as (K8sObject & {
    data?: Record<string, string>;
  })[];

/**
 * A variable as the container's process sees it: its own `env` value, else a ConfigMap it loads
 * with envFrom, else the app's default (configSchema). Secret values are unknown: undefined.
 */
export function envValue(
  c: IContainer,
  name: string,
  objects: K8sObject[],
  defaults: Record<string, unknown>,
): string | undefined {
  const own = c.env?.find((e) => e.name === name);
  if (own) return own.value;
  for (const source of [...(c.envFrom ?? [])].reverse()) {
    const map = configMaps(objects).find((m) => m.metadata.name === source.configMapRef?.name);
    const value = map?.data?.[name];
    if (value !== undefined) return value;
  }
  const fallback = defaults[name];
  return fallback === undefined ? undefined : String(fallback);
}

/** Whether a label selector selects these labels (matchLabels and matchExpressions). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>) {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    if (e.operator === 'DoesNotExist') return value === undefined;
    return false;
  });
  return byLabels && byExpressions;
}

/** The container port a probe or a Service's target names (a port name or a number). */
export function portNumber(c: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number')
    return c.ports?.some((p) => p.containerPort === port) ? port : undefined;
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Seconds a preStop hook holds the pod before SIGTERM (`sleep N` by exec, or the sleep action). */
export function preStopSeconds(c: IContainer): number {
  const hook = c.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const command = hook?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

/** Kubernetes memory quantities (Ki, Mi, Gi, and decimal k, M, G) in bytes. */
export function bytes(quantity: string | number | undefined): number {
  if (quantity === undefined) return NaN;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
  if (!match) return NaN;
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const decimal: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  const unit = match[2] ?? '';
  return Number(match[1]) * (units[unit] ?? decimal[unit] ?? 1);
}

export const byKind = (objects: K8sObject[], kind: string) =>
  objects.filter((o) => o.kind === kind);
