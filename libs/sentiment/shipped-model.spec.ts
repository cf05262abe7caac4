import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBaselines } from './baselines.js';
import { readLabelledCsv } from './dataset.js';
import { evaluate } from './metrics.js';
import { renderEvaluationTables } from './report.js';
import { SentimentModel } from './sentiment-model.js';

// Compiled to dist/libs/sentiment/, so the repository root is three levels up.
const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

describe('the shipped model (models/sentiment-model.json)', async () => {
  const model = await SentimentModel.load(root('models/sentiment-model.json'));

  it('classifies the acceptance sentences', () => {
    assert.equal(model.predict('$AAPL beats estimates and raises guidance').label, 'bullish');
    assert.equal(
      model.predict('$XYZ shares plunge after the company cuts its outlook').label,
      'bearish',
    );
  });

  it('reproduces the validation metrics of its manifest and of models/REPORT.md', async () => {
    const valid = await readLabelledCsv(root('data/sentiment/sent_valid.csv'));
    const evaluations = [evaluate(model, valid.rows)];
    assert.equal(evaluations[0].samples, model.manifest.metrics.samples);
    assert.equal(evaluations[0].accuracy.toFixed(4), model.manifest.metrics.accuracy.toFixed(4));
    assert.equal(evaluations[0].macroF1.toFixed(4), model.manifest.metrics.macroF1.toFixed(4));
    for (const baseline of await loadBaselines(model.training.classCounts))
      evaluations.push(evaluate(baseline, valid.rows));
    const report = await readFile(root('models/REPORT.md'), 'utf8');
    assert.ok(
      report.includes(renderEvaluationTables(evaluations, 'data/sentiment/sent_valid.csv')),
      'REPORT.md tables differ from a fresh evaluation',
    );
  });

  it('has a manifest file equal to the manifest inside the artifact', async () => {
    const manifest: unknown = JSON.parse(
      await readFile(root('models/sentiment-model.manifest.json'), 'utf8'),
    );
    assert.deepEqual(manifest, model.manifest);
  });
});
