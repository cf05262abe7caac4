import { HashingVectorizer } from './features.js';
import {
  assertArtifact,
  decodeFloat32,
  modelDigest,
  type ModelArtifact,
  type ModelManifest,
  type TrainingRecord,
} from './artifact.js';
import { SENTIMENT_LABELS, type SentimentLabel } from './labels.js';
import type { TextClassifier } from './metrics.js';
import { predictProba, type LinearModel } from './softmax-regression.js';

/** One text's class, the probability of that class, and the probability of every class (summing to 1). */
export interface Prediction {
  label: SentimentLabel;
  confidence: number;
  scores: { bullish: number; bearish: number; neutral: number };
}

/** The artifact failed its integrity check (edited, truncated or mixed with another model's manifest). */
export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

/**
 * A trained financial-sentiment classifier held in memory. Plain TypeScript (no Nest, no I/O
 * except reading the file in {@link SentimentModel.load}); one instance serves any number of
 * predictions. Not safe to share across worker threads (it reuses scratch buffers): each thread
 * builds its own from the artifact's text ({@link SentimentModel.parse}).
 */
export class SentimentModel implements TextClassifier {
  readonly name = 'model';
  private readonly vectorizer: HashingVectorizer;
  private readonly scratch = new Float64Array(SENTIMENT_LABELS.length);

  private constructor(
    readonly manifest: ModelManifest,
    readonly training: TrainingRecord,
    private readonly linear: LinearModel,
    vectorizer: HashingVectorizer,
  ) {
    this.vectorizer = vectorizer;
  }

  /**
   * Builds a model from a parsed artifact after checking its shape and that the sha256 of its model
   * block equals the manifest's. Throws {@link ModelIntegrityError} on a mismatch.
   */
  static fromArtifact(json: unknown): SentimentModel {
    assertArtifact(json);
    const artifact: ModelArtifact = json;
    const digest = modelDigest(artifact.model);
    if (digest !== artifact.manifest.sha256) {
      throw new ModelIntegrityError(
        `model sha256 mismatch: manifest says ${artifact.manifest.sha256}, weights hash to ${digest}`,
      );
    }
    const vectorizer = new HashingVectorizer(artifact.model.features);
    const k = SENTIMENT_LABELS.length;
    const weights = decodeFloat32(artifact.model.weights);
    if (weights.length !== vectorizer.dimension * k) {
      throw new ModelIntegrityError(
        `weights hold ${weights.length} values, expected ${vectorizer.dimension * k}`,
      );
    }
    const linear: LinearModel = {
      classes: k,
      dimension: vectorizer.dimension,
      weights,
      bias: Float32Array.from(artifact.model.bias),
    };
    return new SentimentModel(artifact.manifest, artifact.training, linear, vectorizer);
  }

  /** Reads the artifact at `path` (JSON) and verifies it as {@link SentimentModel.fromArtifact} does. */
  static async load(path: string): Promise<SentimentModel> {
    return SentimentModel.parse(await SentimentModel.read(path), path);
  }

  /**
   * The artifact's text as stored at `path`. The api reads it once and hands the same text to its
   * batch worker threads, so every thread verifies and serves the very bytes the main thread does,
   * even if the file is replaced meanwhile.
   */
  static async read(path: string): Promise<string> {
    // Imported here so that code which only predicts never touches the file system module.
    const { readFile } = await import('node:fs/promises');
    return readFile(path, 'utf8');
  }

  /** Parses an artifact's text (named `source` in errors) and verifies it as {@link SentimentModel.fromArtifact} does. */
  static parse(text: string, source: string): SentimentModel {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ModelIntegrityError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    return SentimentModel.fromArtifact(json);
  }

  predict(text: string): Prediction {
    const p = predictProba(this.linear, this.vectorizer.transform(text), this.scratch);
    // Index order is SENTIMENT_LABELS: bearish, bullish, neutral.
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return {
      label: SENTIMENT_LABELS[best],
      confidence: p[best],
      scores: { bullish: p[1], bearish: p[0], neutral: p[2] },
    };
  }

  /** Predictions in input order. */
  predictBatch(texts: string[]): Prediction[] {
    const out = new Array<Prediction>(texts.length);
    for (let i = 0; i < texts.length; i++) out[i] = this.predict(texts[i]);
    return out;
  }

  classify(texts: string[]): SentimentLabel[] {
    return this.predictBatch(texts).map((p) => p.label);
  }
}
