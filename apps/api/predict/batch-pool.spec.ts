import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '#config';
import {
  modelDigest,
  readLabelledCsv,
  SentimentModel,
  versionFromDigest,
  type ModelArtifact,
} from '#sentiment';
import { ProblemException } from '../http/problem.js';
import { ModelService } from './model.service.js';
import type { PredictionBatchDto } from './predict.dto.js';
import { PredictService } from './predict.service.js';

// Compiled to dist/apps/api/predict/, so the repository root is four levels up: the pool's worker
// file is resolved the way the built api resolves it.
const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const MODEL = root('models/sentiment-model.json');

const serviceWith = async (modelPath: string, predictThreads: number) => {
  const models = new ModelService({ modelPath, predictThreads } as AppConfig);
  await models.load();
  const service = new PredictService(models);
  // The answer is JSON text; read back, it is the batch's PredictionBatchDto.
  const predictBatch = async (texts: string[]) =>
    JSON.parse(await service.predictBatch(texts)) as PredictionBatchDto;
  return { models, predictor: { predictBatch } };
};

describe('batch prediction on worker threads', async () => {
  const texts = (await readLabelledCsv(root('data/sentiment/sent_valid.csv'))).rows.map(
    (r) => r.text,
  );
  const inline = await SentimentModel.load(MODEL);
  let pooled: Awaited<ReturnType<typeof serviceWith>>;
  before(async () => {
    pooled = await serviceWith(MODEL, 2);
  });
  after(async () => {
    await pooled.models.onApplicationShutdown();
  });

  it('gives exactly the inline predictions, in input order, for every validation text', async () => {
    assert.equal(pooled.models.currentWithPool?.pool?.threads, 2);
    for (let i = 0; i < texts.length; i += 256) {
      const part = texts.slice(i, i + 256);
      const text = await new PredictService(pooled.models).predictBatch(part);
      const { results, modelVersion } = JSON.parse(text) as PredictionBatchDto;
      assert.deepEqual(results, inline.predictBatch(part));
      // The bytes JSON.stringify writes for the same answer, as the api sent before.
      assert.equal(text, JSON.stringify({ results, modelVersion }));
      assert.equal(modelVersion, inline.manifest.version);
    }
  });

  it('answers 503 problem+json when the thread classifying a batch dies, then recovers', async () => {
    const pool = pooled.models.currentWithPool!.pool!;
    // Every text of the set, so the batch is still running when its thread is stopped.
    const outcome = pooled.predictor.predictBatch([...texts, ...texts]).then(
      () => assert.fail('a batch whose thread died must not succeed'),
      (e: unknown) => e,
    );
    await Promise.all(pool.workers.map((w) => w.terminate()));
    const error = await outcome;
    assert.ok(error instanceof ProblemException, `expected a ProblemException, got ${error}`);
    assert.equal(error.getStatus(), 503);
    assert.match(JSON.stringify(error.getResponse()), /urn:market-scanner:problem:unavailable/);
    // The pool replaces its threads: the next batch is answered, and by the same model.
    const again = await pooled.predictor.predictBatch(texts.slice(0, 64));
    assert.deepEqual(again.results, inline.predictBatch(texts.slice(0, 64)));
    assert.equal(pool.workers.length, 2);
  });

  it('reloads its threads with the new weights when the model file changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-pool-'));
    try {
      const path = join(dir, 'model.json');
      const artifact = JSON.parse(await readFile(MODEL, 'utf8')) as ModelArtifact;
      await writeFile(path, JSON.stringify(artifact));
      const { models, predictor } = await serviceWith(path, 1);
      try {
        const first = models.currentWithPool!;
        await models.load(); // same weights: the threads that hold them stay
        assert.equal(models.currentWithPool!.pool, first.pool);
        // Other weights (bias pushed towards bearish): a new model, new threads, the old ones closed.
        artifact.model.bias = artifact.model.bias.map((b, c) => (c === 0 ? b + 3 : b));
        artifact.manifest.sha256 = modelDigest(artifact.model);
        artifact.manifest.version = versionFromDigest(artifact.manifest.sha256);
        await writeFile(path, JSON.stringify(artifact));
        await models.load();
        const second = models.currentWithPool!;
        assert.notEqual(second.pool, first.pool);
        assert.equal(first.pool!.workers.length, 0);
        const expected = SentimentModel.fromArtifact(artifact);
        const batch = await predictor.predictBatch(texts.slice(0, 256));
        assert.equal(batch.modelVersion, artifact.manifest.version);
        assert.deepEqual(batch.results, expected.predictBatch(texts.slice(0, 256)));
        assert.notDeepEqual(batch.results, inline.predictBatch(texts.slice(0, 256)));
      } finally {
        await models.onApplicationShutdown();
      }
      assert.equal(models.currentWithPool!.pool!.workers.length, 0, 'threads left after shutdown');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('classifies batches on the event loop when PREDICT_THREADS is 0', async () => {
    const { models, predictor } = await serviceWith(MODEL, 0);
    assert.equal(models.currentWithPool?.pool, null);
    const { results } = await predictor.predictBatch(texts.slice(0, 100));
    assert.deepEqual(results, inline.predictBatch(texts.slice(0, 100)));
    await models.onApplicationShutdown();
  });
});
