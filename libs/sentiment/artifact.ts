import { createHash } from 'node:crypto';
import type { FeatureOptions } from './features.js';
import { SENTIMENT_LABELS, type SentimentLabel } from './labels.js';

/** Identifies the artifact layout below; a reader refuses any other. */
export const ARTIFACT_FORMAT = 'market-scanner/sentiment-model@1';

/** What the api shows about the model (GET /v1/model/info) and what the report is checked against. */
export interface ModelManifest {
  /** `1.0.0+<first 12 hex of sha256>`: equal weights give an equal version. */
  version: string;
  algorithm: string;
  classes: string[];
  /** ISO 8601 time of training; the only field that differs between two runs on the same data. */
  trainedAt: string;
  dataset: string;
  /** sha256 of the training CSV's bytes. */
  trainingDataSha256: string;
  /** sha256 of the model block (feature options, classes, weights, bias); see {@link modelDigest}. */
  sha256: string;
  /** Validation-split quality, rounded to 4 decimals as in models/REPORT.md. */
  metrics: { accuracy: number; macroF1: number; samples: number };
}

/** Everything inference needs. */
export interface ModelBlock {
  features: FeatureOptions;
  classes: SentimentLabel[];
  /** Float32 little-endian, feature-major (`[bucket * classes + class]`), base64. */
  weights: string;
  bias: number[];
}

/** How the model was trained, for reproducing it; not used by inference. */
export interface TrainingRecord {
  seed: number;
  epochs: number;
  averageEpochs: number;
  learningRate: number;
  l2: number;
  classWeights: number[];
  /** Texts per class in the training split, in `classes` order (the majority baseline uses it). */
  classCounts: number[];
}

export interface ModelArtifact {
  format: typeof ARTIFACT_FORMAT;
  manifest: ModelManifest;
  training: TrainingRecord;
  model: ModelBlock;
}

/**
 * sha256 over the model block serialized with a fixed key order. It covers everything that changes
 * a prediction and nothing else, so it is the same for every training run on the same data.
 */
export function modelDigest(model: ModelBlock): string {
  const canonical = JSON.stringify({
    features: {
      bits: model.features.bits,
      wordNgrams: model.features.wordNgrams,
      charNgrams: model.features.charNgrams,
      wordWeight: model.features.wordWeight,
      stemWeight: model.features.stemWeight,
      sublinearTf: model.features.sublinearTf,
    },
    classes: model.classes,
    weights: model.weights,
    bias: model.bias,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function versionFromDigest(sha256: string): string {
  return `1.0.0+${sha256.slice(0, 12)}`;
}

export function encodeFloat32(values: Float32Array): string {
  const buffer = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buffer.writeFloatLE(values[i], i * 4);
  return buffer.toString('base64');
}

export function decodeFloat32(base64: string): Float32Array {
  const buffer = Buffer.from(base64, 'base64');
  if (buffer.length % 4 !== 0) throw new Error('weights: byte length is not a multiple of 4');
  const values = new Float32Array(buffer.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = buffer.readFloatLE(i * 4);
  return values;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x));

/** Checks the shape of parsed JSON; throws naming the first field that is wrong. */
export function assertArtifact(json: unknown): asserts json is ModelArtifact {
  const fail = (what: string): never => {
    throw new Error(`not a sentiment model artifact: ${what}`);
  };
  if (!isObject(json)) fail('not a JSON object');
  const a = json as Record<string, unknown>;
  if (a.format !== ARTIFACT_FORMAT)
    fail(`format is ${JSON.stringify(a.format)}, expected ${ARTIFACT_FORMAT}`);
  const m = a.manifest;
  if (!isObject(m)) fail('manifest missing');
  const manifest = m as Record<string, unknown>;
  for (const key of [
    'version',
    'algorithm',
    'trainedAt',
    'dataset',
    'trainingDataSha256',
    'sha256',
  ]) {
    if (typeof manifest[key] !== 'string') fail(`manifest.${key} missing`);
  }
  if (!Array.isArray(manifest.classes)) fail('manifest.classes missing');
  const metrics = manifest.metrics;
  if (
    !isObject(metrics) ||
    !['accuracy', 'macroF1', 'samples'].every((k) => typeof metrics[k] === 'number')
  ) {
    fail('manifest.metrics missing');
  }
  if (!isObject(a.training)) fail('training missing');
  const block = a.model;
  if (!isObject(block)) fail('model missing');
  const model = block as Record<string, unknown>;
  const f = model.features;
  if (
    !isObject(f) ||
    typeof f.bits !== 'number' ||
    !isNumberPair(f.wordNgrams) ||
    !isNumberPair(f.charNgrams) ||
    typeof f.wordWeight !== 'number' ||
    typeof f.stemWeight !== 'number' ||
    typeof f.sublinearTf !== 'boolean'
  ) {
    fail('model.features malformed');
  }
  if (
    !Array.isArray(model.classes) ||
    model.classes.length !== SENTIMENT_LABELS.length ||
    !model.classes.every((c, i) => c === SENTIMENT_LABELS[i])
  ) {
    fail(`model.classes must be ${SENTIMENT_LABELS.join(',')}`);
  }
  if (typeof model.weights !== 'string') fail('model.weights missing');
  if (!Array.isArray(model.bias) || model.bias.length !== SENTIMENT_LABELS.length)
    fail('model.bias malformed');
}
