// The repository documents itself: a clone has no ../shared, so no link in its Markdown may leave
// it or point at a file it does not hold.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  brokenLinks,
  extractLinks,
  headingSlug,
  linkProblem,
  markdownFiles,
} from './markdown-links.js';

// Compiled to dist/src/lint/: the repository root is three up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** README.md, docs/**, data/*.md and models/*.md: what a reader of the repository opens. */
const DOCUMENTS = [
  'README.md',
  ...markdownFiles(ROOT, 'docs', true),
  ...markdownFiles(ROOT, 'data', false),
  ...markdownFiles(ROOT, 'models', false),
];

describe('Markdown links of the repository', () => {
  it('finds the documents to check', () => {
    for (const expected of ['README.md', 'docs/api.md', 'data/SOURCES.md', 'models/REPORT.md']) {
      assert.ok(DOCUMENTS.includes(expected), `${expected} not checked`);
    }
  });

  it('stay inside the repository and point at files that exist', () => {
    const broken = brokenLinks(ROOT, DOCUMENTS);
    const list = broken.map((b) => `${b.file}:${b.line} ${b.target}: ${b.reason}`).join('\n');
    assert.deepEqual(broken, [], `broken links:\n${list}`);
  });
});

describe('the Markdown link checker', () => {
  const root = mkdtempSync(join(tmpdir(), 'markdown-links-'));
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\n## The `Scan` resource\n');
  writeFileSync(join(root, 'README.md'), '# Readme\n');
  const fromDocs = join(root, 'docs', 'other.md');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads inline links, images and reference definitions, not code', () => {
    const markdown = [
      'See [the guide](docs/guide.md "title") and ![chart](img/a.png).',
      '[ref]: ../shared/DESIGN.md',
      'Inline code `[not](a-link.md)` is text.',
      '```',
      '[also not](inside-a-fence.md)',
      '```',
      '[spaced](<a b.md>)',
    ].join('\n');
    assert.deepEqual(extractLinks(markdown), [
      { target: 'docs/guide.md', line: 1 },
      { target: 'img/a.png', line: 1 },
      { target: '../shared/DESIGN.md', line: 2 },
      { target: 'a b.md', line: 7 },
    ]);
  });

  it('refuses a relative link that leaves the repository', () => {
    assert.equal(linkProblem(root, fromDocs, '../../shared/DESIGN.md'), 'leaves the repository');
    assert.equal(
      linkProblem(root, join(root, 'README.md'), '../shared/x.md'),
      'leaves the repository',
    );
  });

  it('refuses a link to a missing file or heading', () => {
    assert.equal(linkProblem(root, fromDocs, 'missing.md'), 'docs/missing.md does not exist');
    assert.equal(
      linkProblem(root, fromDocs, 'guide.md#nope'),
      'docs/guide.md has no heading #nope',
    );
  });

  it('accepts files, folders and headings of the repository', () => {
    assert.equal(linkProblem(root, fromDocs, 'guide.md'), null);
    assert.equal(linkProblem(root, fromDocs, '../README.md'), null);
    assert.equal(linkProblem(root, fromDocs, '../docs/'), null);
    assert.equal(linkProblem(root, fromDocs, 'guide.md#the-scan-resource'), null);
    assert.equal(linkProblem(root, join(root, 'docs', 'guide.md'), '#guide'), null);
  });

  it('accepts public web sites only', () => {
    assert.equal(linkProblem(root, fromDocs, 'https://www.rfc-editor.org/rfc/rfc9457'), null);
    assert.equal(linkProblem(root, fromDocs, 'mailto:ops@example.com'), null);
    assert.match(
      linkProblem(root, fromDocs, 'http://127.0.0.1:3000/docs') ?? '',
      /not a public site/,
    );
    assert.match(linkProblem(root, fromDocs, 'http://localhost/x') ?? '', /not a public site/);
    assert.match(
      linkProblem(root, fromDocs, 'file:///work/shared/DESIGN.md') ?? '',
      /cannot be followed/,
    );
  });

  it('makes heading anchors the way GitHub does', () => {
    assert.equal(headingSlug('Order and guarantees'), 'order-and-guarantees');
    assert.equal(headingSlug('Prices: `prices/`'), 'prices-prices');
    assert.equal(headingSlug('The Scan resource (v1)'), 'the-scan-resource-v1');
  });
});
