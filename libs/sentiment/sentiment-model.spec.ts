import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeFloat32, decodeFloat32, type ModelArtifact } from './artifact.js';
import type { LabelledText } from './labels.js';
import { ModelIntegrityError, SentimentModel } from './sentiment-model.js';
import { trainModel, type TrainingOptions } from './train.js';

const CORPUS: LabelledText[] = [
  { text: '$AAA beats estimates, raises guidance', label: 'bullish' },
  { text: '$BBB upgraded to buy at Goldman', label: 'bullish' },
  { text: 'Shares surge 12% after record quarter 🚀', label: 'bullish' },
  { text: '$CCC misses estimates and cuts outlook', label: 'bearish' },
  { text: '$DDD downgraded to sell, shares plunge', label: 'bearish' },
  { text: 'Stock falls 8% as losses widen', label: 'bearish' },
  { text: '$EEE to present at investor conference', label: 'neutral' },
  { text: 'Company declares quarterly dividend of $0.25', label: 'neutral' },
  { text: 'CEO to speak on earnings call https://t.co/abc', label: 'neutral' },
];

// Small buckets and few epochs keep the test fast; the algorithm is the production one.
const TINY: Partial<TrainingOptions> = {
  features: {
    bits: 12,
    wordNgrams: [1, 2],
    charNgrams: [3, 5],
    wordWeight: 2,
    stemWeight: 2,
    sublinearTf: true,
  },
  epochs: 30,
  averageEpochs: 10,
};

const train = (now = new Date('2026-01-01T00:00:00Z')) =>
  trainModel({
    train: CORPUS,
    validation: CORPUS,
    trainingDataSha256: 'x'.repeat(64),
    dataset: 'tiny',
    options: TINY,
    now,
  });

describe('trainModel', () => {
  it('is deterministic: the same data gives a byte-identical artifact apart from trainedAt', () => {
    const a = train(new Date('2026-01-01T00:00:00Z')).artifact;
    const b = train(new Date('2026-02-02T00:00:00Z')).artifact;
    assert.notEqual(a.manifest.trainedAt, b.manifest.trainedAt);
    const strip = (x: ModelArtifact) =>
      JSON.stringify({ ...x, manifest: { ...x.manifest, trainedAt: '' } });
    assert.equal(strip(a), strip(b));
    assert.equal(a.manifest.sha256, b.manifest.sha256);
    assert.match(a.manifest.version, /^1\.0\.0\+[0-9a-f]{12}$/);
  });

  it('learns the tiny corpus and records the validation metrics in the manifest', () => {
    const { artifact, validation } = train();
    assert.equal(validation.accuracy, 1);
    assert.deepEqual(artifact.manifest.metrics, {
      accuracy: 1,
      macroF1: 1,
      samples: CORPUS.length,
    });
    assert.deepEqual(artifact.manifest.classes, ['bearish', 'bullish', 'neutral']);
    assert.deepEqual(artifact.training.classCounts, [3, 3, 3]);
  });
});

describe('SentimentModel', () => {
  const { artifact } = train();
  const model = SentimentModel.fromArtifact(JSON.parse(JSON.stringify(artifact)));

  it('returns probabilities that sum to 1, with the label of the highest one', () => {
    for (const text of ['$XYZ beats and raises', 'shares plunge', '', '🚀', 'x'.repeat(20_000)]) {
      const p = model.predict(text);
      const sum = p.scores.bullish + p.scores.bearish + p.scores.neutral;
      assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum} for ${JSON.stringify(text.slice(0, 20))}`);
      assert.equal(p.confidence, p.scores[p.label]);
      assert.ok(Object.values(p.scores).every((s) => s <= p.confidence));
    }
  });

  it('predicts a batch in input order, equal to one-by-one predictions', () => {
    const texts = CORPUS.map((c) => c.text);
    assert.deepEqual(
      model.predictBatch(texts),
      texts.map((t) => model.predict(t)),
    );
  });

  it('rejects an artifact whose weights were changed (sha256 mismatch)', () => {
    const tampered = structuredClone(artifact);
    const weights = decodeFloat32(tampered.model.weights);
    weights[7] += 0.5;
    tampered.model.weights = encodeFloat32(weights);
    assert.throws(() => SentimentModel.fromArtifact(tampered), ModelIntegrityError);
  });

  it('rejects something that is not an artifact', () => {
    assert.throws(
      () => SentimentModel.fromArtifact({ hello: 'world' }),
      /not a sentiment model artifact/,
    );
    assert.throws(() => SentimentModel.fromArtifact(null), /not a sentiment model artifact/);
  });

  it('load() reads a good file and rejects a tampered one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentiment-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify(artifact));
      const loaded = await SentimentModel.load(good);
      assert.equal(loaded.manifest.sha256, artifact.manifest.sha256);
      assert.deepEqual(
        loaded.predict('$AAA beats estimates'),
        model.predict('$AAA beats estimates'),
      );

      const bad = join(dir, 'bad.json');
      const tampered = structuredClone(artifact);
      tampered.model.bias[0] += 1;
      await writeFile(bad, JSON.stringify(tampered));
      await assert.rejects(SentimentModel.load(bad), ModelIntegrityError);
      await writeFile(bad, '{"truncated":');
      await assert.rejects(SentimentModel.load(bad), ModelIntegrityError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
