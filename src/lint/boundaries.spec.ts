// The dependency rules of eslint.config.js, run through ESLint's Node API on small sources placed
// (virtually) in the tree: a rule that silently stopped matching would let `npm run lint` pass.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { ESLint } from 'eslint';

// Compiled to dist/src/lint/: the repository root, where eslint.config.js lives, is three up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Finding {
  ruleId: string | null;
  message: string;
}

let eslint: ESLint;

async function lint(path: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

async function assertRefused(path: string, code: string, ruleId: string, message: RegExp) {
  const findings = await lint(path, code);
  assert.equal(findings.length, 1, `${path}: ${JSON.stringify(findings)}`);
  assert.equal(findings[0].ruleId, ruleId);
  assert.match(findings[0].message, message);
}

async function assertClean(path: string, code: string) {
  assert.deepEqual(await lint(path, code), [], path);
}

describe('eslint.config.js boundaries', () => {
  before(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  it('refuses a lib importing an app, from any depth', async () => {
    const message = /libs never import apps/;
    const code = "export { ScansModule } from '../../apps/api/scans/scans.module.js';\n";
    await assertRefused('libs/jobs/queues.ts', code, 'no-restricted-imports', message);
    const deeper = "import { x } from '../../../apps/worker/main.js';\nexport { x };\n";
    await assertRefused('libs/database/entities/x.ts', deeper, 'no-restricted-imports', message);
  });

  it('covers a lib that did not exist when the rules were written', async () => {
    const code = "export { ScansModule } from '../../apps/api/scans/scans.module.js';\n";
    await assertRefused('libs/brand-new/index.ts', code, 'no-restricted-imports', /libs never/);
  });

  it('refuses the api importing the worker and the worker importing the api', async () => {
    const message = /api and worker never import each other/;
    const intoWorker = "export { ScanProcessor } from '../../worker/scan/scan.processor.js';\n";
    await assertRefused('apps/api/scans/x.ts', intoWorker, 'no-restricted-imports', message);
    const intoApi = "export { AppModule } from '../api/app.module.js';\n";
    await assertRefused('apps/worker/main.ts', intoApi, 'no-restricted-imports', message);
  });

  it('refuses a relative path into another lib, where the #alias belongs', async () => {
    const message = /through its #alias/;
    const sibling = "export { loadConfig } from '../config/config.js';\n";
    await assertRefused('libs/jobs/queues.ts', sibling, 'no-restricted-imports', message);
    const fromApp = "export { loadConfig } from '../../../libs/config/config.js';\n";
    await assertRefused('apps/api/scans/x.ts', fromApp, 'no-restricted-imports', message);
    const fromTest = "export { loadConfig } from '../libs/config/index.js';\n";
    await assertRefused('test/x.e2e-spec.ts', fromTest, 'no-restricted-imports', message);
  });

  it('refuses Nest, TypeORM, Redis, BullMQ, pg and their libs in scan-engine and sentiment', async () => {
    const message = /plain TypeScript/;
    const cases: Array<[string, string]> = [
      ['libs/scan-engine/scoring.ts', '@nestjs/common'],
      ['libs/scan-engine/scoring.ts', 'typeorm'],
      ['libs/sentiment/train.ts', 'ioredis'],
      ['libs/sentiment/train.ts', 'bullmq'],
      ['libs/scan-engine/fixtures/x.ts', 'pg'],
      ['libs/sentiment/train.ts', '#database'],
      ['libs/sentiment/train.ts', '#redis'],
    ];
    for (const [path, specifier] of cases) {
      const code = `import * as dependency from '${specifier}';\nexport { dependency };\n`;
      await assertRefused(path, code, 'no-restricted-imports', message);
    }
  });

  it('keeps the api-client free of Nest, the database and the server-side libs', async () => {
    const message = /plain TypeScript/;
    for (const specifier of ['@nestjs/common', 'typeorm', '#database', '#jobs']) {
      const code = `import * as dependency from '${specifier}';\nexport { dependency };\n`;
      await assertRefused('libs/api-client/client.ts', code, 'no-restricted-imports', message);
    }
    await assertClean(
      'libs/api-client/client.ts',
      "import createClient from 'openapi-fetch';\nimport type { paths } from './schema.js';\nexport { createClient, type paths };\n",
    );
  });

  it('refuses process.env outside libs/config and the bootstrap', async () => {
    const message = /Only libs\/config and src\/bootstrap read process\.env/;
    const read = 'export const port = process.env.API_PORT;\n';
    await assertRefused('apps/api/main.ts', read, 'no-restricted-properties', message);
    await assertRefused('src/commands/db.command.ts', read, 'no-restricted-properties', message);
    await assertRefused('libs/jobs/queues.ts', read, 'no-restricted-properties', message);
    const imported = "import { env } from 'node:process';\nexport const port = env.API_PORT;\n";
    await assertRefused('migrations/x.ts', imported, 'no-restricted-syntax', message);
  });

  it('passes code that keeps to the rules', async () => {
    await assertClean(
      'apps/api/scans/x.ts',
      "import { loadConfig } from '#config';\nimport { y } from '../items/y.js';\nexport { loadConfig, y };\n",
    );
    await assertClean(
      'libs/scan-engine/x.ts',
      "import { SentimentModel } from '#sentiment';\nimport { z } from './z.js';\nexport { SentimentModel, z };\n",
    );
    await assertClean(
      'libs/database/entities/x.ts',
      "export { migrations } from '../../../migrations/index.js';\nexport { y } from '../y.js';\n",
    );
    await assertClean('libs/config/config.ts', 'export const env = process.env;\n');
    await assertClean('src/bootstrap/start.mjs', 'export const env = process.env;\n');
    await assertClean('test/x.e2e-spec.ts', "export { x } from '../apps/api/x.js';\n");
    await assertClean('bench/x.ts', 'export const port = Number(process.env.BENCH_PORT);\n');
  });
});
