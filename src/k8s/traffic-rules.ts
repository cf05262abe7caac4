// Rules on what connects to what: network policies, Services and the Ingress, the Secrets the
// objects name, and the autoscalers (KEDA's triggers on the very keys BullMQ writes).
import type { K8sObject } from './kustomize.js';
import {
  appContainers,
  byKind,
  componentOf,
  containersOf,
  envValue,
  podTemplates,
  portNumber,
  selects,
  type LabelSelector,
  type PodTemplate,
  type Rule,
} from './manifest-model.js';

interface PolicyPort {
  protocol?: string;
  port?: number | string;
}
interface PolicyRule {
  from?: unknown[];
  to?: unknown[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

const policies = (objects: K8sObject[]) =>
  byKind(objects, 'NetworkPolicy').map((o) => ({
    name: o.metadata.name,
    spec: o.spec as PolicySpec,
  }));

/** Whether a policy rule's ports let `port` through, named ports read from the pod's containers. */
const allowsPort = (rule: PolicyRule, port: number, pod?: PodTemplate) =>
  !rule.ports ||
  rule.ports.some(
    (p) =>
      p.port === undefined ||
      p.port === port ||
      (pod !== undefined && containersOf(pod).some((c) => portNumber(c, p.port) === port)),
  );

const namespacesOf = (rule: PolicyRule) =>
  (rule.from ?? []).map(
    (peer) =>
      (peer as { namespaceSelector?: LabelSelector }).namespaceSelector?.matchLabels?.[
        'kubernetes.io/metadata.name'
      ],
  );

/** Ports each component must be let through to (the data) and from whom it may be reached. */
const DATA_PORTS: Record<string, number[]> = {
  api: [5432, 6379],
  worker: [5432, 6379],
  migrate: [5432],
};
const INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';

export const networkPoliciesCoverEveryWorkload: Rule = (ctx) => {
  const problems: string[] = [];
  const all = policies(ctx.objects);
  const denyAll = all.find(
    (p) =>
      Object.keys(p.spec.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)) &&
      !p.spec.ingress?.length &&
      !p.spec.egress?.length,
  );
  if (!denyAll)
    problems.push('no default-deny policy (empty podSelector, Ingress and Egress, no rules)');
  const pods = podTemplates(ctx.objects);
  for (const p of all) {
    if (!pods.some((t) => selects(p.spec.podSelector, t.labels)))
      problems.push(`NetworkPolicy/${p.name} selects no pod`);
    for (const rule of p.spec.ingress ?? [])
      if (!rule.from?.length) problems.push(`NetworkPolicy/${p.name} lets anyone in`);
    for (const rule of p.spec.egress ?? [])
      if (!rule.to?.length && !rule.ports?.length)
        problems.push(`NetworkPolicy/${p.name} lets anything out`);
  }
  for (const t of pods) {
    const mine = all.filter((p) => p !== denyAll && selects(p.spec.podSelector, t.labels));
    const egress = mine.flatMap((p) => p.spec.egress ?? []);
    const ingress = mine.flatMap((p) => p.spec.ingress ?? []);
    const component = componentOf(t);
    if (!egress.some((r) => allowsPort(r, 53) && r.ports?.some((p) => p.protocol === 'UDP')))
      problems.push(`${t.name}: cannot resolve names (no DNS egress)`);
    for (const port of [5432, 6379]) {
      const needed = DATA_PORTS[component]?.includes(port) ?? false;
      const allowed = egress.some((r) => r.ports?.some((p) => p.port === port));
      if (needed !== allowed)
        problems.push(`${t.name}: egress to ${port} ${needed ? 'missing' : 'not needed'}`);
    }
    const ownPorts = containersOf(t).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    if (
      component === 'api' &&
      !ingress.some(
        (r) =>
          namespacesOf(r).includes(INGRESS_CONTROLLER_NAMESPACE) && allowsPort(r, ownPorts[0]!, t),
      )
    )
      problems.push(`${t.name}: the ingress controller cannot reach it`);
    if (
      component === 'worker' &&
      ingress.some((r) => namespacesOf(r).includes(INGRESS_CONTROLLER_NAMESPACE))
    )
      problems.push(`${t.name}: reachable from the edge, which has no business with workers`);
    if (component === 'migrate' && ingress.length > 0)
      problems.push(`${t.name}: takes connections`);
  }
  return problems;
};

export const servicesAndIngressReachRealPorts: Rule = (ctx) => {
  const problems: string[] = [];
  const pods = podTemplates(ctx.objects);
  const services = byKind(ctx.objects, 'Service');
  for (const s of services) {
    const spec = s.spec as {
      selector?: Record<string, string>;
      ports?: { name?: string; targetPort?: number | string }[];
    };
    const targets = pods.filter((t) => selects({ matchLabels: spec.selector }, t.labels));
    if (targets.length === 0) problems.push(`Service/${s.metadata.name} selects no pod`);
    for (const port of spec.ports ?? [])
      if (
        !targets.some((t) =>
          containersOf(t).some((c) => portNumber(c, port.targetPort) !== undefined),
        )
      )
        problems.push(`Service/${s.metadata.name}: no container port ${port.targetPort}`);
  }
  for (const pdb of byKind(ctx.objects, 'PodDisruptionBudget'))
    if (!pods.some((t) => selects((pdb.spec as { selector: LabelSelector }).selector, t.labels)))
      problems.push(`PodDisruptionBudget/${pdb.metadata.name} selects no pod`);
  // The server's ping interval, as the api pods have it: an idle socket sees a frame that often.
  const api = appContainers(ctx.objects).find((a) => a.program === 'api')?.container;
  const ping =
    Number(api && envValue(api, 'WS_PING_INTERVAL_MS', ctx.objects, ctx.configDefaults)) / 1000;
  for (const ing of byKind(ctx.objects, 'Ingress')) {
    const annotations = (ing.metadata.annotations ?? {}) as Record<string, string>;
    const readTimeout = Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'] ?? 60);
    if (!(readTimeout >= 2 * ping))
      problems.push(
        `Ingress/${ing.metadata.name}: idle WebSockets cut after ${readTimeout} s, pings every ${ping} s`,
      );
    type Path = { path: string; backend: { service: { name: string; port: { name?: string } } } };
    const rules = (ing.spec as { rules: { http: { paths: Path[] } }[] }).rules;
    for (const path of rules.flatMap((r) => r.http.paths)) {
      if (path.path === '/' || path.path.startsWith('/metrics'))
        problems.push(`Ingress/${ing.metadata.name}: routes ${path.path}, which exposes /metrics`);
      const service = services.find((s) => s.metadata.name === path.backend.service.name);
      const ports = (service?.spec as { ports?: { name?: string }[] } | undefined)?.ports ?? [];
      if (!ports.some((p) => p.name === path.backend.service.port.name))
        problems.push(
          `Ingress/${ing.metadata.name}: ${path.path} goes to a Service port that does not exist`,
        );
    }
  }
  return problems;
};

/** Every Secret name and key the objects refer to, with who refers to it. */
function secretReferences(objects: K8sObject[]): { name: string; key?: string; by: string }[] {
  const refs: { name: string; key?: string; by: string }[] = [];
  for (const t of podTemplates(objects))
    for (const c of containersOf(t))
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) refs.push({ name: ref.name ?? '', key: ref.key, by: `${t.name} ${c.name}` });
      }
  for (const t of podTemplates(objects))
    for (const v of t.spec.volumes ?? [])
      if (v.secret)
        refs.push({ name: v.secret.secretName ?? '', by: `${t.name} volume ${v.name}` });
  for (const auth of byKind(objects, 'TriggerAuthentication'))
    for (const ref of (auth.spec as { secretTargetRef?: { name: string; key: string }[] })
      .secretTargetRef ?? [])
      refs.push({
        name: ref.name,
        key: ref.key,
        by: `TriggerAuthentication/${auth.metadata.name}`,
      });
  for (const ing of byKind(objects, 'Ingress'))
    for (const tls of (ing.spec as { tls?: { secretName?: string }[] }).tls ?? [])
      refs.push({ name: tls.secretName ?? '', by: `Ingress/${ing.metadata.name}` });
  return refs;
}

export const secretsAreReferencedNeverCommitted: Rule = (ctx) => {
  const problems = byKind(ctx.objects, 'Secret').map(
    (s) =>
      `Secret/${s.metadata.name} is in the rendered output: secrets are created apart, by reference`,
  );
  for (const ref of secretReferences(ctx.objects)) {
    const example = ctx.exampleSecrets.find((s) => s.metadata.name === ref.name);
    const data = { ...(example?.data ?? {}), ...(example?.stringData ?? {}) } as Record<
      string,
      string
    >;
    if (!example) problems.push(`${ref.by}: Secret ${ref.name} is not in the overlay's examples`);
    else if (ref.key !== undefined && !(ref.key in data))
      problems.push(`${ref.by}: key ${ref.key} of Secret ${ref.name} is not in the examples`);
  }
  return problems;
};
