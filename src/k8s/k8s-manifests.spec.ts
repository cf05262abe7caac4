// deploy/k8s, validated offline: both overlays render (the project renderer, cross-checked against
// kubectl kustomize where kubectl is installed), every object passes the Kubernetes and KEDA
// schemas with unknown fields refused, and the rules of manifest-check.ts hold. Then the negative:
// a copy of deploy/k8s with a misspelt field, and objects broken one rule at a time, must fail.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  kubectlKustomize,
  objectId,
  render,
  renderWithKubectl,
  renderWithProject,
  type K8sObject,
} from './kustomize.js';
import { checkOverlay, OVERLAYS, ruleContext, RULES, type Overlay } from './manifest-check.js';
import { checkSchemas, formatProblems } from './schema-check.js';

// Compiled to dist/src/k8s/: the repository root is three up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const overlayDir = (overlay: Overlay, root = ROOT) => join(root, 'deploy/k8s/overlays', overlay);
const kubectl = kubectlKustomize();

const rendered = {} as Record<Overlay, K8sObject[]>;
before(() => {
  for (const overlay of OVERLAYS) rendered[overlay] = renderWithProject(overlayDir(overlay));
});

describe('deploy/k8s overlays', () => {
  for (const overlay of OVERLAYS) {
    it(`${overlay}: the project renderer yields what kubectl kustomize yields`, (t) => {
      if (!kubectl.ok) return t.skip(`no cross-check: ${kubectl.reason}`);
      const byId = (objects: K8sObject[]) => new Map(objects.map((o) => [objectId(o), o]));
      const ours = byId(rendered[overlay]);
      const theirs = byId(renderWithKubectl(overlayDir(overlay)));
      assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
      for (const [id, object] of theirs)
        assert.ok(isDeepStrictEqual(ours.get(id), object), `${id} differs from kubectl's`);
      t.diagnostic(`${theirs.size} objects, equal to kubectl kustomize (${kubectl.version})`);
    });

    it(`${overlay}: every object passes the Kubernetes and KEDA schemas, unknown fields refused`, async (t) => {
      const problems = await checkSchemas(rendered[overlay], ROOT);
      assert.equal(formatProblems(problems), '');
      const kinds = [...new Set(rendered[overlay].map((o) => o.kind))].sort();
      t.diagnostic(
        `${rendered[overlay].length} objects of ${kinds.length} kinds: ${kinds.join(', ')}`,
      );
    });

    for (const [name, rule] of Object.entries(RULES))
      it(`${overlay}: ${name}`, () => {
        assert.deepEqual(rule(ruleContext(overlay, rendered[overlay], ROOT)), []);
      });
  }
});

describe('a manifest that breaks the rules', () => {
  const copy = mkdtempSync(join(tmpdir(), 'k8s-manifests-'));
  after(() => rmSync(copy, { recursive: true, force: true }));

  /** A copy of deploy/k8s with `from` replaced by `to` in one file, rendered as `npm run k8s:render` would. */
  const renderEdited = (overlay: Overlay, file: string, from: string, to: string) => {
    rmSync(join(copy, 'deploy'), { recursive: true, force: true });
    cpSync(join(ROOT, 'deploy/k8s'), join(copy, 'deploy/k8s'), { recursive: true });
    const path = join(copy, 'deploy/k8s', file);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(from), `${file} has no "${from}" to misspell`);
    writeFileSync(path, text.replace(from, to));
    return render(overlayDir(overlay, copy)).objects;
  };

  const misspellings = [
    {
      overlay: 'single-node',
      file: 'base/api.yaml',
      from: 'readinessProbe:',
      to: 'readinesProbe:',
    },
    {
      overlay: 'production',
      file: 'overlays/production/autoscaling.yaml',
      from: 'scalingModifiers:',
      to: 'scalingModifier:',
    },
    {
      overlay: 'production',
      file: 'base/network-policies.yaml',
      from: 'policyTypes:',
      to: 'policyType:',
    },
  ] as const;
  for (const { overlay, file, from, to } of misspellings)
    it(`fails ${overlay} when ${file} says ${to} for ${from}`, async () => {
      const problems = await checkOverlay(overlay, renderEdited(overlay, file, from, to), ROOT);
      const field = to.replace(':', '');
      assert.ok(
        problems.some((p) => p.includes(`'"${field}"' does not exist`)),
        `no schema problem names ${field}:\n${problems.join('\n')}`,
      );
    });

  // A string where a string goes, so only the JSON-schema validators (formats) can refuse it.
  it('fails a memory limit that is no Kubernetes quantity', async () => {
    const objects = renderEdited(
      'single-node',
      'base/api.yaml',
      'memory: 512Mi',
      'memory: 512 MiB',
    );
    const problems = await checkOverlay('single-node', objects, ROOT);
    assert.ok(
      problems.some((p) => /memory must match format "quantity"/.test(p)),
      problems.join('\n'),
    );
  });

  type Edit = (objects: K8sObject[]) => void;
  // The edits reach deep into objects the test knows: typing each level would restate the manifests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Loose = any;
  const find = (objects: K8sObject[], kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name) as K8sObject & {
      spec: Loose;
      data?: Loose;
    };
  const pod = (objects: K8sObject[], name: string) =>
    find(objects, 'Deployment', name).spec.template.spec;
  const breakages: { overlay: Overlay; what: string; edit: Edit; expect: RegExp }[] = [
    {
      overlay: 'production',
      what: 'KEDA counting a key BullMQ does not write',
      expect: /BullMQ keeps waiting scans/,
      edit: (o) =>
        (find(o, 'ScaledObject', 'worker').spec.triggers[0].metadata.listName =
          'bull:scan:waiting'),
    },
    {
      overlay: 'production',
      what: 'KEDA without the sum formula',
      expect: /is not the sum/,
      edit: (o) => delete find(o, 'ScaledObject', 'worker').spec.advanced.scalingModifiers,
    },
    {
      overlay: 'production',
      what: 'a trigger metadata key the redis scaler does not read',
      expect: /has no listname/,
      edit: (o) => (find(o, 'ScaledObject', 'worker').spec.triggers[1].metadata.listname = 'x'),
    },
    {
      overlay: 'production',
      what: 'a replica count on an autoscaled Deployment',
      expect: /sets replicas/,
      edit: (o) => (find(o, 'Deployment', 'worker').spec.replicas = 2),
    },
    {
      overlay: 'single-node',
      what: 'a worker grace period shorter than its drain',
      expect: /drains its scan/,
      edit: (o) => (pod(o, 'worker').terminationGracePeriodSeconds = 60),
    },
    {
      overlay: 'single-node',
      what: 'readiness on the liveness route',
      expect: /readiness probe on \/health\/live/,
      edit: (o) => (pod(o, 'api').containers[0].readinessProbe.httpGet.path = '/health/live'),
    },
    {
      overlay: 'single-node',
      what: 'the api listening on loopback',
      expect: /cannot reach/,
      edit: (o) => (find(o, 'ConfigMap', 'market-scanner-config').data.API_HOST = '127.0.0.1'),
    },
    {
      overlay: 'single-node',
      what: 'a misspelt variable in the ConfigMap',
      expect: /LOG_LEVLE is not read/,
      edit: (o) => (find(o, 'ConfigMap', 'market-scanner-config').data.LOG_LEVLE = 'debug'),
    },
    {
      overlay: 'single-node',
      what: 'a credential as a literal value',
      expect: /must come from a Secret/,
      edit: (o) =>
        (pod(o, 'api').containers[0].env[0] = { name: 'DATABASE_URL', value: 'postgres://x' }),
    },
    {
      overlay: 'single-node',
      what: 'the edge cut off from the api',
      expect: /ingress controller cannot reach/,
      edit: (o) => (find(o, 'NetworkPolicy', 'api').spec.ingress = []),
    },
    {
      overlay: 'single-node',
      what: 'a Secret in the rendered output',
      expect: /Secret\/x is in the rendered output/,
      edit: (o) => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }),
    },
    {
      overlay: 'production',
      what: 'a policy the Job needs applied with the apps',
      expect: /the Job needs it, but it is applied with the api/,
      edit: (o) =>
        (find(o, 'NetworkPolicy', 'dns').metadata.labels = {
          'app.kubernetes.io/component': 'api',
        }),
    },
    {
      overlay: 'production',
      what: 'a Redis CA file outside every mounted volume',
      expect: /reads \/etc\/ca\/redis\.pem, which is on no mounted volume/,
      edit: (o) =>
        (find(o, 'ConfigMap', 'market-scanner-config').data.REDIS_TLS_CA_FILE =
          '/etc/ca/redis.pem'),
    },
    {
      overlay: 'production',
      what: 'a QUEUE_PREFIX the KEDA triggers do not follow',
      expect: /BullMQ keeps waiting scans in \{bull\}:scan:prioritized/,
      edit: (o) => (find(o, 'ConfigMap', 'market-scanner-config').data.QUEUE_PREFIX = '{bull}'),
    },
    {
      overlay: 'single-node',
      what: 'a worker memory request below its measured peak',
      expect: /below the measured/,
      edit: (o) => (pod(o, 'worker').containers[0].resources.requests.memory = '512Mi'),
    },
  ];
  for (const { overlay, what, edit, expect } of breakages)
    it(`fails ${overlay} with ${what}`, () => {
      const objects = structuredClone(rendered[overlay]);
      edit(objects);
      const ctx = ruleContext(overlay, objects, ROOT);
      const problems = Object.values(RULES).flatMap((rule) => rule(ctx));
      assert.ok(
        problems.some((p) => expect.test(p)),
        `expected ${expect}, got:\n${problems.join('\n')}`,
      );
    });
});
