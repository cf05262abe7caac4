// Every lib is declared in the places that name libs: its folder, nest-cli.json (the Nest CLI's
// project list) and, when other code imports it, an alias in package.json "imports".
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// Compiled to dist/src/lint/: the repository root is three up.
const ROOT = new URL('../../../', import.meta.url);

const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, ROOT), 'utf8'));

const libFolders = readdirSync(new URL('libs/', ROOT), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('the list of libs', () => {
  it('names every lib folder in nest-cli.json, rooted at that folder', () => {
    const projects: Record<string, { type: string; root: string }> =
      readJson('nest-cli.json').projects;
    for (const lib of libFolders) {
      assert.equal(projects[lib]?.type, 'library', `nest-cli.json has no library "${lib}"`);
      assert.equal(projects[lib].root, `libs/${lib}`);
    }
  });

  it('points every package.json alias at a lib index, in source and compiled form', () => {
    const imports: Record<string, { source: string; default: string }> =
      readJson('package.json').imports;
    for (const [alias, target] of Object.entries(imports)) {
      const lib = alias.slice(1);
      assert.ok(libFolders.includes(lib), `${alias} names no folder under libs/`);
      assert.equal(target.source, `./libs/${lib}/index.ts`);
      assert.equal(target.default, `./dist/libs/${lib}/index.js`);
    }
  });
});
