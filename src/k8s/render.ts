// `npm run -s k8s:render -- <overlay> [--check] [--renderer kubectl|project]`: prints the objects an
// overlay of deploy/k8s renders (pipe it to `kubectl apply -f -`), with kubectl kustomize when a
// recent kubectl is installed, else with the project renderer. --check also runs the offline
// validation of the manifest spec (schemas, unknown fields refused, rules) and fails on a problem.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { render, type K8sObject, type Renderer } from './kustomize.js';
import { checkOverlay, OVERLAYS, type Overlay } from './manifest-check.js';
import { repositoryRoot } from './schema-check.js';

/** kustomize's output order by kind (its "legacy" sort): what others depend on comes first. */
const KIND_ORDER = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];

const sortKey = (o: K8sObject) => {
  const rank = KIND_ORDER.indexOf(o.kind);
  const gvk = `${o.apiVersion.includes('/') ? o.apiVersion : `_/${o.apiVersion}`}/${o.kind}`;
  return `${String(rank === -1 ? KIND_ORDER.length : rank).padStart(2, '0')} ${gvk} ${o.metadata.name}`;
};

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { check: { type: 'boolean', default: false }, renderer: { type: 'string' } },
  });
  const overlay = positionals[0] as Overlay | undefined;
  const choice = (values.renderer ?? 'auto') as Renderer | 'auto';
  if (!overlay || !OVERLAYS.includes(overlay) || !['auto', 'kubectl', 'project'].includes(choice)) {
    process.stderr.write(
      `usage: npm run -s k8s:render -- <${OVERLAYS.join('|')}> [--check] [--renderer kubectl|project]\n`,
    );
    return 2;
  }
  const root = repositoryRoot(import.meta.url);
  const { objects, renderer } = render(join(root, 'deploy/k8s/overlays', overlay), choice);
  const sorted =
    renderer === 'project'
      ? [...objects].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      : objects;
  process.stdout.write(sorted.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  process.stderr.write(
    `${overlay}: ${objects.length} objects, rendered by ${renderer === 'kubectl' ? 'kubectl kustomize' : 'the project renderer'}\n`,
  );
  if (!values.check) return 0;
  const problems = await checkOverlay(overlay, objects, root);
  process.stderr.write(
    problems.length
      ? `${problems.join('\n')}\n${problems.length} problem(s)\n`
      : 'check: no problem\n',
  );
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
