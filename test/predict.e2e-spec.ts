import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { trainModel } from '#sentiment';
import { call, createTestKey, startApp, testDataSource, waitFor, type RunningApp } from './support/e2e.js';
import { assertProblem, flushRateLimits, removeTestRows } from './support/fixtures.js';

const SHIPPED = 'models/sentiment-model.json';

describe('predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msk-model-'));
  const modelPath = join(dir, 'model.json');
  let api: RunningApp;
  let ds: DataSource;
  let key: string;

  before(async () => {
    copyFileSync(SHIPPED, modelPath);
    ds = await testDataSource();
    await flushRateLimits();
    key = await createTestKey(ds, 'read,predict', 'e2e-predict');
    api = await startApp('api', { MODEL_PATH: modelPath });
    await waitFor(async () => (await call(`${api.url}/v1/model/info`, { key })).body.loaded === true, 20_000, 'the model to load');
  });

  after(async () => {
    await api?.stop();
    await removeTestRows(ds);
    await ds.destroy();
  });

  const predict = (body: unknown, k: string | null = key) => call(`${api.url}/v1/predict`, { method: 'POST', key: k ?? undefined, json: body });

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
    const batch = (texts: unknown) => call(`${api.url}/v1/predict/batch`, { method: 'POST', key, json: { texts } });
    assertProblem(await batch(Array.from({ length: 257 }, () => 'x')), 400);
    assertProblem(await batch([]), 400);
    assertProblem(await batch(['ok', '']), 400);
  });

  it('answers a batch in input order, equal to single predictions', async () => {
    const texts = ['$AAPL beats estimates and raises guidance', 'Fed minutes due at 2pm', '$XYZ shares plunge after the company cuts its outlook'];
    const res = await call(`${api.url}/v1/predict/batch`, { method: 'POST', key, json: { texts } });
    assert.equal(res.status, 200);
    assert.equal(res.body.results.length, 3);
    for (const [i, text] of texts.entries()) {
      const single = await predict({ text });
      assert.deepEqual(res.body.results[i], { label: single.body.label, confidence: single.body.confidence, scores: single.body.scores });
    }
  });

  it('shows the model and the validation metrics of the report', async () => {
    const info = (await call(`${api.url}/v1/model/info`, { key })).body;
    assert.equal(info.loaded, true);
    assert.deepEqual(info.classes, ['bearish', 'bullish', 'neutral']);
    assert.ok(info.metrics.accuracy >= 0.85 && info.metrics.macroF1 >= 0.8, JSON.stringify(info.metrics));
    assert.equal(info.metrics.samples, 2388);
    for (const field of ['version', 'algorithm', 'trainedAt', 'dataset']) assert.equal(typeof info[field], 'string', field);
  });

  it('reloads a new artifact on SIGHUP without failing a request', async () => {
    const before = (await call(`${api.url}/v1/model/info`, { key })).body.version as string;
    const rows = [
      { text: 'stock soars on record profit', label: 'bullish' as const },
      { text: 'shares sink after loss', label: 'bearish' as const },
      { text: 'company holds annual meeting', label: 'neutral' as const },
    ];
    const { artifact } = trainModel({ train: rows, validation: rows, trainingDataSha256: '0'.repeat(64), dataset: 'e2e', options: { epochs: 2 } });
    writeFileSync(modelPath, JSON.stringify(artifact));
    let stop = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (!stop) statuses.push((await predict({ text: 'shares rally' })).status);
    })();
    api.process.kill('SIGHUP');
    await waitFor(async () => (await call(`${api.url}/v1/model/info`, { key })).body.version !== before, 15_000, 'the new version');
    stop = true;
    await traffic;
    assert.ok(statuses.length > 0);
    assert.deepEqual([...new Set(statuses)], [200]);
  });

  it('answers 503 while no model is loaded', async () => {
    const bare = await startApp('api', { MODEL_PATH: join(dir, 'missing.json') });
    try {
      assertProblem(await call(`${bare.url}/v1/predict`, { method: 'POST', key, json: { text: 'hello' } }), 503);
      assert.equal((await call(`${bare.url}/v1/model/info`, { key })).body.loaded, false);
    } finally {
      await bare.stop();
    }
  });
});
