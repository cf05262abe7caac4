import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { trainModel } from '#sentiment';
import type { ModelInfo, Prediction, PredictionBatch } from './support/api-types.js';
import { waitFor } from './support/e2e.js';
import { assertProblem, call } from './support/http.js';
import { useStack } from './support/stack.js';

const SHIPPED = 'models/sentiment-model.json';

describe('predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msk-model-'));
  const modelPath = join(dir, 'model.json');
  // The copy is made before the api starts (the stack's before hook reads MODEL_PATH then).
  copyFileSync(SHIPPED, modelPath);
  const stack = useStack({ api: { MODEL_PATH: modelPath }, keys: { key: 'read,predict' } });
  const { keys } = stack;
  const modelInfo = async (url = stack.api.url) =>
    (await call<ModelInfo>(`${url}/v1/model/info`, { key: keys.key })).body;

  before(() =>
    waitFor(async () => (await modelInfo()).loaded === true, 20_000, 'the model to load'),
  );
  stack.onTeardown(() => rmSync(dir, { recursive: true, force: true }));

  const predict = (body: unknown, k: string | null = keys.key) =>
    stack.call<Prediction>('/v1/predict', { method: 'POST', key: k ?? undefined, json: body });

  it('calls a beat-and-raise headline bullish and a guidance cut bearish', async () => {
    const up = await predict({ text: '$AAPL beats estimates and raises guidance' });
    assert.equal(up.status, 200);
    assert.equal(up.body.label, 'bullish');
    const down = await predict({ text: '$XYZ shares plunge after the company cuts its outlook' });
    assert.equal(down.body.label, 'bearish');
    const { scores, confidence, modelVersion } = up.body;
    assert.ok(Math.abs(scores.bullish + scores.bearish + scores.neutral - 1) < 1e-9);
    assert.equal(confidence, Math.max(scores.bullish, scores.bearish, scores.neutral));
    assert.match(modelVersion, /^1\.0\.0\+[0-9a-f]{12}$/);
  });

  it('validates text length and batch size and needs a key', async () => {
    assertProblem(await predict({ text: '' }), 400);
    assertProblem(await predict({ text: 'x'.repeat(2001) }), 400);
    assert.equal((await predict({ text: 'x'.repeat(2000) })).status, 200);
    assertProblem(await predict({}), 400);
    assertProblem(await predict({ text: 'fine', extra: 1 }), 400);
    assertProblem(await predict({ text: 'no key' }, null), 401);
    const batch = (texts: unknown) =>
      stack.call('/v1/predict/batch', { method: 'POST', key: keys.key, json: { texts } });
    assertProblem(await batch(Array.from({ length: 257 }, () => 'x')), 400);
    assertProblem(await batch([]), 400);
    assertProblem(await batch(['ok', '']), 400);
  });

  it('answers a batch in input order, equal to single predictions', async () => {
    const texts = [
      '$AAPL beats estimates and raises guidance',
      'Fed minutes due at 2pm',
      '$XYZ shares plunge after the company cuts its outlook',
    ];
    const res = await stack.call<PredictionBatch>('/v1/predict/batch', {
      method: 'POST',
      key: keys.key,
      json: { texts },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 3);
    for (const [i, text] of texts.entries()) {
      const single = await predict({ text });
      assert.deepEqual(res.body.results[i], {
        label: single.body.label,
        confidence: single.body.confidence,
        scores: single.body.scores,
      });
    }
  });

  it('shows the model and the validation metrics of the report', async () => {
    const info = await modelInfo();
    assert.equal(info.loaded, true);
    assert.deepEqual(info.classes, ['bearish', 'bullish', 'neutral']);
    assert.ok(
      info.metrics!.accuracy >= 0.85 && info.metrics!.macroF1 >= 0.8,
      JSON.stringify(info.metrics),
    );
    assert.equal(info.metrics!.samples, 2388);
    for (const field of ['version', 'algorithm', 'trainedAt', 'dataset'] as const)
      assert.equal(typeof info[field], 'string', field);
  });

  it('reloads a new artifact on SIGHUP without failing a request', async () => {
    const versionBefore = (await modelInfo()).version;
    const rows = [
      { text: 'stock soars on record profit', label: 'bullish' as const },
      { text: 'shares sink after loss', label: 'bearish' as const },
      { text: 'company holds annual meeting', label: 'neutral' as const },
    ];
    const { artifact } = trainModel({
      train: rows,
      validation: rows,
      trainingDataSha256: '0'.repeat(64),
      dataset: 'e2e',
      options: { epochs: 2 },
    });
    writeFileSync(modelPath, JSON.stringify(artifact));
    let stop = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (!stop) statuses.push((await predict({ text: 'shares rally' })).status);
    })();
    stack.api.process.kill('SIGHUP');
    await waitFor(
      async () => (await modelInfo()).version !== versionBefore,
      15_000,
      'the new version',
    );
    stop = true;
    await traffic;
    assert.ok(statuses.length > 0);
    assert.deepEqual([...new Set(statuses)], [200]);
  });

  it('answers 503 while no model is loaded', async () => {
    await stack.withApp('api', { MODEL_PATH: join(dir, 'missing.json') }, async (bare) => {
      assertProblem(
        await call(`${bare.url}/v1/predict`, {
          method: 'POST',
          key: keys.key,
          json: { text: 'hello' },
        }),
        503,
      );
      assert.equal((await modelInfo(bare.url)).loaded, false);
    });
  });
});
