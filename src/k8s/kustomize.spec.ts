// The project renderer on small kustomizations of its own: what it does (resources, namespace,
// images, JSON 6902 patches) and what it refuses instead of rendering something kustomize would not.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyJsonPatch } from './json-patch.js';
import { kubectlKustomize, renderWithKubectl, renderWithProject } from './kustomize.js';

const root = mkdtempSync(join(tmpdir(), 'kustomize-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes `files` (path → text) under a fresh folder and returns it. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      initContainers: [{name: init, image: "registry:5000/team/app:1"}]
      containers: [{name: app, image: app}, {name: side, image: other:2}]
`;
const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n';

describe('the project renderer', () => {
  it('renders a base through an overlay: namespace, images and a JSON 6902 patch', () => {
    const dir = tree('overlay', {
      'base/kustomization.yaml': 'resources: [app.yaml]\n',
      'base/app.yaml': `${deployment}---\n# only a comment\n`,
      'overlay/ns.yaml': namespace,
      'overlay/kustomization.yaml': `namespace: ns
resources: [ns.yaml, ../base]
images:
  - {name: app, newName: registry.example.com/app, newTag: "007"}
  - {name: registry:5000/team/app, newTag: "2"}
patches:
  - target: {kind: Deployment, name: app}
    patch: |-
      - {op: add, path: /spec/replicas, value: 3}
      - {op: replace, path: /spec/template/spec/containers/1/name, value: sidecar}
      - {op: add, path: /metadata/labels, value: {a/b: c}}
`,
    });
    const objects = renderWithProject(join(dir, 'overlay'));
    // Where kubectl is installed, kustomize itself is the reference for what this should render.
    if (kubectlKustomize().ok) assert.deepEqual(objects, renderWithKubectl(join(dir, 'overlay')));
    const [ns, app] = objects as [any, any]; // eslint-disable-line @typescript-eslint/no-explicit-any -- reading the test's own objects
    assert.deepEqual(ns.metadata, { name: 'ns' });
    assert.equal(app.metadata.namespace, 'ns');
    assert.deepEqual(app.metadata.labels, { 'a/b': 'c' });
    assert.equal(app.spec.replicas, 3);
    const images = [...app.spec.template.spec.initContainers, ...app.spec.template.spec.containers];
    assert.deepEqual(
      images.map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
      ['init=registry:5000/team/app:2', 'app=registry.example.com/app:007', 'sidecar=other:2'],
    );
  });

  const refusals = [
    {
      what: 'a kustomization field it does not implement',
      kustomization: 'resources: [app.yaml]\ncommonLabels: {a: b}\n',
      error: /not commonLabels/,
    },
    {
      what: 'a strategic merge patch',
      kustomization: 'resources: [app.yaml]\npatches:\n  - patch: "spec: {replicas: 2}"\n',
      error: /JSON 6902 patches/,
    },
    {
      what: 'a patch target by label',
      kustomization:
        'resources: [app.yaml]\npatches:\n  - target: {labelSelector: a=b}\n    patch: "[]"\n',
      error: /kind and name only/,
    },
    {
      what: 'a patch whose target matches nothing',
      kustomization:
        'resources: [app.yaml]\npatches:\n  - target: {kind: Service}\n    patch: "[]"\n',
      error: /no object matches/,
    },
    {
      what: 'a patch path that does not resolve',
      kustomization:
        'resources: [app.yaml]\npatches:\n  - target: {kind: Deployment}\n    patch: "[{op: replace, path: /spec/nope, value: 1}]"\n',
      error: /no field "nope"/,
    },
    {
      what: 'the same object twice',
      kustomization: 'resources: [app.yaml, again.yaml]\n',
      error: /defined twice/,
    },
  ];
  for (const { what, kustomization, error } of refusals)
    it(`refuses ${what}`, () => {
      const dir = tree(what.replace(/\W+/g, '-'), {
        'kustomization.yaml': kustomization,
        'app.yaml': deployment,
        'again.yaml': deployment,
      });
      assert.throws(() => renderWithProject(dir), error);
    });
});

describe('JSON 6902 patches', () => {
  const doc = { a: { 'b/c': 1, list: [1, 2] } };
  it('adds, inserts, appends, removes, replaces and tests, on a copy', () => {
    const out = applyJsonPatch(
      doc,
      [
        { op: 'test', path: '/a/b~1c', value: 1 },
        { op: 'add', path: '/a/list/0', value: 0 },
        { op: 'add', path: '/a/list/-', value: 3 },
        { op: 'remove', path: '/a/b~1c' },
        { op: 'replace', path: '/a/list/1', value: 'one' },
      ],
      'test',
    );
    assert.deepEqual(out, { a: { list: [0, 'one', 2, 3] } });
    assert.deepEqual(doc, { a: { 'b/c': 1, list: [1, 2] } });
  });

  it('refuses a failed test, a missing index and an unknown op', () => {
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'test', path: '/a/b~1c', value: 2 }], 'x'),
      /test failed/,
    );
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'remove', path: '/a/list/5' }], 'x'),
      /no index 5/,
    );
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'move' as 'add', path: '/a/x' }], 'x'),
      /unsupported op "move"/,
    );
  });
});
