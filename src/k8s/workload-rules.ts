// Rules on the pods: what the schemas cannot know — that probes hit the app's real routes and
// port, that shutdown fits in the grace period, that every variable is one the app reads and every
// secret comes from a Secret, that pods run locked down and sized from measured memory.
import {
  appContainers,
  bytes,
  componentOf,
  configMaps,
  containersOf,
  envValue,
  podTemplates,
  portNumber,
  preStopSeconds,
  programOf,
  selects,
  type IProbe,
  type LabelSelector,
  type Rule,
} from './manifest-model.js';

/**
 * Peak memory measured per process (docs/kubernetes.md): the api's highest RSS under bench:load's
 * mixed traffic, the worker's VmHWM holding 10,000 symbols × 1,260 bars (docs/benchmarks.md).
 */
export const MEASURED_PEAK_BYTES = { api: 235e6, worker: 0.76e9 } as const;

/** Variables whose values are credentials: only ever from a Secret. */
const SECRET_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'POLYGON_API_KEY'];

const probePath = (p: IProbe | undefined) => p?.httpGet?.path;

export const probesHitTheHealthRoutes: Rule = (ctx) => {
  const problems: string[] = [];
  for (const { template, container: c, program } of appContainers(ctx.objects)) {
    if (program === 'cli') continue;
    const where = `${template.name} ${c.name}`;
    const port = Number(
      envValue(c, program === 'api' ? 'API_PORT' : 'WORKER_PORT', ctx.objects, ctx.configDefaults),
    );
    const host = envValue(c, 'API_HOST', ctx.objects, ctx.configDefaults);
    if (!host || /^(127\.|localhost$|::1$)/.test(host))
      problems.push(`${where}: listens on ${host}, which the kubelet and Services cannot reach`);
    const probes = {
      readiness: [c.readinessProbe, ctx.healthPaths.ready],
      liveness: [c.livenessProbe, ctx.healthPaths.live],
      startup: [c.startupProbe, ctx.healthPaths.live],
    } as const;
    for (const [kind, [probe, path]] of Object.entries(probes)) {
      if (!probe) {
        if (kind !== 'startup') problems.push(`${where}: no ${kind} probe`);
        continue;
      }
      if (probePath(probe) !== path)
        problems.push(`${where}: ${kind} probe on ${probePath(probe)}, not ${path}`);
      if (portNumber(c, probe.httpGet?.port) !== port)
        problems.push(
          `${where}: ${kind} probe port ${probe.httpGet?.port} is not the app's ${port}`,
        );
    }
    const checkMs = Number(envValue(c, 'HEALTH_CHECK_TIMEOUT_MS', ctx.objects, ctx.configDefaults));
    const timeoutMs = (c.readinessProbe?.timeoutSeconds ?? 1) * 1000;
    if (timeoutMs <= checkMs)
      problems.push(
        `${where}: readiness times out (${timeoutMs} ms) before its checks (${checkMs} ms)`,
      );
  }
  return problems;
};

export const shutdownFitsTheGracePeriod: Rule = (ctx) => {
  const problems: string[] = [];
  for (const { template, container: c, program } of appContainers(ctx.objects)) {
    const grace = template.spec.terminationGracePeriodSeconds ?? 30;
    const where = `${template.name} ${c.name}`;
    if (program === 'worker' && grace * 1000 < ctx.drainTimeoutMs + 5000)
      problems.push(
        `${where}: ${grace} s of grace, but a worker drains its scan for up to ${ctx.drainTimeoutMs / 1000} s`,
      );
    if (program === 'api') {
      const delay = preStopSeconds(c);
      if (delay < 5) problems.push(`${where}: no preStop delay while endpoints drain (${delay} s)`);
      if (grace < delay + ctx.maxWaitSeconds + 1)
        problems.push(
          `${where}: ${grace} s of grace < preStop ${delay} s + the longest ?wait ${ctx.maxWaitSeconds} s`,
        );
    }
  }
  return problems;
};

export const everyVariableIsOneTheAppReads: Rule = (ctx) => {
  const problems: string[] = [];
  const known = new Set(ctx.configKeys);
  const loaded = new Set<string>();
  for (const { template, container: c, program } of appContainers(ctx.objects)) {
    const where = `${template.name} ${c.name}`;
    for (const e of c.env ?? []) {
      if (!known.has(e.name)) problems.push(`${where}: ${e.name} is not read by the app`);
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && ref.key !== e.name)
        problems.push(
          `${where}: ${e.name} comes from key ${ref.key}: name the key like the variable`,
        );
      if (SECRET_VARIABLES.includes(e.name) && !ref)
        problems.push(`${where}: ${e.name} is a credential and must come from a Secret`);
    }
    for (const source of c.envFrom ?? []) {
      if (source.secretRef)
        problems.push(`${where}: envFrom a whole Secret hides which keys it reads`);
      if (source.configMapRef) loaded.add(source.configMapRef.name ?? '');
    }
    const needs = program === 'cli' ? ['DATABASE_URL'] : ['DATABASE_URL', 'REDIS_URL'];
    for (const name of needs)
      if (!c.env?.some((e) => e.name === name)) problems.push(`${where}: no ${name}`);
  }
  for (const map of configMaps(ctx.objects).filter((m) => loaded.has(m.metadata.name)))
    for (const key of Object.keys(map.data ?? {}))
      if (!known.has(key))
        problems.push(`ConfigMap/${map.metadata.name}: ${key} is not read by the app`);
  return problems;
};

export const podsRunLockedDown: Rule = (ctx) => {
  const problems: string[] = [];
  for (const t of podTemplates(ctx.objects)) {
    const pod = t.spec.securityContext ?? {};
    if (t.spec.automountServiceAccountToken !== false)
      problems.push(`${t.name}: mounts a service account token it never uses`);
    for (const c of containersOf(t)) {
      const own = c.securityContext ?? {};
      const where = `${t.name} ${c.name}`;
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true)
        problems.push(`${where}: may run as root`);
      if (!((own.runAsUser ?? pod.runAsUser ?? 0) > 0))
        problems.push(
          `${where}: no numeric non-root runAsUser (the kubelet cannot check a user name)`,
        );
      if (own.allowPrivilegeEscalation !== false)
        problems.push(`${where}: may escalate privileges`);
      if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: writable root filesystem`);
      if (!own.capabilities?.drop?.includes('ALL')) problems.push(`${where}: keeps capabilities`);
      if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault')
        problems.push(`${where}: no RuntimeDefault seccomp profile`);
    }
  }
  for (const ns of ctx.objects.filter((o) => o.kind === 'Namespace'))
    if (
      (ns.metadata.labels as Record<string, string> | undefined)?.[
        'pod-security.kubernetes.io/enforce'
      ] !== 'restricted'
    )
      problems.push(
        `Namespace/${ns.metadata.name}: does not enforce the restricted Pod Security Standard`,
      );
  return problems;
};

export const podsAreSizedFromMeasuredMemory: Rule = (ctx) => {
  const problems: string[] = [];
  for (const t of podTemplates(ctx.objects)) {
    for (const c of containersOf(t)) {
      const where = `${t.name} ${c.name}`;
      const request = bytes(c.resources?.requests?.memory);
      const limit = bytes(c.resources?.limits?.memory);
      if (!(request > 0) || !(limit >= request))
        problems.push(
          `${where}: memory request ${request} and limit ${limit} (limit ≥ request > 0)`,
        );
      if (c.resources?.requests?.cpu === undefined) problems.push(`${where}: no CPU request`);
      const program = programOf(c);
      if (program === 'api' || program === 'worker') {
        const peak = MEASURED_PEAK_BYTES[program];
        if (!(request >= peak))
          problems.push(`${where}: requests ${request} B, below the measured ${peak} B`);
      }
      const image = c.image ?? '';
      if (!/[:@]/.test(image.slice(image.lastIndexOf('/') + 1)) || image.endsWith(':latest'))
        problems.push(`${where}: image ${image} is not pinned to a tag or digest`);
    }
  }
  return problems;
};

export const migrationsRunOnceAsAJob: Rule = (ctx) => {
  const problems: string[] = [];
  const migrating = appContainers(ctx.objects).filter(({ container: c }) =>
    (c.command ?? []).join(' ').includes('db migrate'),
  );
  if (migrating.length !== 1) problems.push(`${migrating.length} containers run db migrate, not 1`);
  for (const { template } of migrating) {
    const job = template.owner;
    const spec = job.spec as { parallelism?: number; completions?: number };
    if (job.kind !== 'Job') problems.push(`${template.name}: migrates, but only a Job may`);
    if ((spec.parallelism ?? 1) !== 1 || (spec.completions ?? 1) !== 1)
      problems.push(`${template.name}: migration runs could race`);
    if (template.spec.restartPolicy !== 'Never')
      problems.push(`${template.name}: restartPolicy ${template.spec.restartPolicy}, not Never`);
    const first = [...(template.spec.initContainers ?? []), ...template.spec.containers][0];
    if (!(first?.command ?? []).join(' ').includes('db migrate'))
      problems.push(`${template.name}: something runs before the migrations`);
    if (componentOf(template) !== 'migrate')
      problems.push(`${template.name}: not labelled migrate`);
    // A release applies what is not labelled api or worker first, then waits for this Job: all it
    // needs must be in that first apply (docs/kubernetes.md).
    const needed = ctx.objects.filter(
      (o) =>
        (o.kind === 'ServiceAccount' && o.metadata.name === template.spec.serviceAccountName) ||
        (o.kind === 'ConfigMap' &&
          containersOf(template).some((c) =>
            c.envFrom?.some((e) => e.configMapRef?.name === o.metadata.name),
          )) ||
        (o.kind === 'NetworkPolicy' &&
          selects((o.spec as { podSelector: LabelSelector }).podSelector, template.labels)),
    );
    for (const o of needed) {
      const labels = o.metadata.labels as Record<string, string> | undefined;
      const label = labels?.['app.kubernetes.io/component'];
      if (label === 'api' || label === 'worker')
        problems.push(
          `${o.kind}/${o.metadata.name}: the Job needs it, but it is applied with the ${label}`,
        );
    }
  }
  return problems;
};

/**
 * Files the configuration names exist in the pods that read them: REDIS_TLS_CA_FILE and the
 * sslrootcert of DATABASE_URL (as the overlay's example Secret writes it) lie on a mounted volume,
 * and every mount names a volume of its pod.
 */
export const filesTheConfigNamesAreMounted: Rule = (ctx) => {
  const problems: string[] = [];
  const secrets = ctx.exampleSecrets.find((s) => s.metadata.name === 'market-scanner-secrets');
  const databaseUrl = (secrets?.stringData as Record<string, string> | undefined)?.DATABASE_URL;
  const rootCert = databaseUrl ? new URL(databaseUrl).searchParams.get('sslrootcert') : null;
  for (const { template, container: c } of appContainers(ctx.objects)) {
    const where = `${template.name} ${c.name}`;
    const files = [
      envValue(c, 'REDIS_TLS_CA_FILE', ctx.objects, ctx.configDefaults),
      c.env?.some((e) => e.name === 'DATABASE_URL') ? rootCert : null,
    ].filter((file): file is string => typeof file === 'string');
    for (const file of files)
      if (!c.volumeMounts?.some((m) => file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)))
        problems.push(`${where}: reads ${file}, which is on no mounted volume`);
  }
  for (const t of podTemplates(ctx.objects)) {
    // A StatefulSet's claim templates are volumes of its pods too.
    const claims = (t.owner.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] })
      .volumeClaimTemplates;
    const volumes = [...(t.spec.volumes ?? []), ...(claims ?? []).map((c) => c.metadata)];
    for (const c of containersOf(t))
      for (const m of c.volumeMounts ?? [])
        if (!volumes.some((v) => v.name === m.name))
          problems.push(`${t.name} ${c.name}: mounts ${m.name}, which is no volume of the pod`);
  }
  return problems;
};
