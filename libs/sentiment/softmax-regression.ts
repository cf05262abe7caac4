import { mulberry32 } from '#random';
import type { SparseVector } from './features.js';

/**
 * A multinomial logistic regression over sparse inputs. `weights` is feature-major
 * (`weights[j * classes + c]`) so that one feature's class weights sit side by side in memory.
 */
export interface LinearModel {
  classes: number;
  dimension: number;
  weights: Float32Array;
  bias: Float32Array;
}

export interface SgdOptions {
  /** Passes over the data; fixed, no early stopping, so a run is fully determined by its inputs. */
  epochs: number;
  /** Initial step size; it decays as learningRate / (1 + learningRate · l2 · t). */
  learningRate: number;
  /** L2 penalty on the weights (not on the bias). */
  l2: number;
  /** Seed of the PRNG that shuffles the examples each epoch. */
  seed: number;
  /** Per-class weight of the loss, e.g. inverse class frequency; all 1 when omitted. */
  classWeights?: number[];
  /** Called after each epoch with the mean weighted training loss (for progress output). */
  /**
   * Average the weights at the end of the last N epochs (Polyak–Ruppert averaging of the SGD
   * iterates); 1 = take the final weights.
   */
  averageEpochs?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Class probabilities of `x` under `model`, written into `out` (length = classes). */
export function predictProba(model: LinearModel, x: SparseVector, out: Float64Array): Float64Array {
  const k = model.classes;
  const { weights, bias } = model;
  for (let c = 0; c < k; c++) out[c] = bias[c];
  const { indices, values } = x;
  for (let t = 0; t < indices.length; t++) {
    const base = indices[t] * k;
    const v = values[t];
    for (let c = 0; c < k; c++) out[c] += weights[base + c] * v;
  }
  return softmaxInPlace(out, k);
}

/** Numerically stable softmax of the first `k` entries. */
export function softmaxInPlace(z: Float64Array, k = z.length): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < k; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < k; c++) z[c] /= sum;
  return z;
}

/**
 * Trains by plain stochastic gradient descent on the weighted cross-entropy with L2, one example
 * at a time in a seeded random order. The L2 shrink is applied through a global scale factor
 * (w = scale · v, as in Bottou's SGD code), so each step costs only the example's non-zeros.
 * The returned weights are the mean of the end-of-epoch iterates of the last `averageEpochs`
 * epochs, which damps the noise of the final SGD steps.
 * Weights start at zero and arithmetic is sequential float64, so equal inputs give equal bits.
 */
export function trainSoftmaxRegression(
  xs: SparseVector[],
  ys: ArrayLike<number>,
  classes: number,
  dimension: number,
  options: SgdOptions,
): LinearModel {
  if (xs.length !== ys.length) throw new Error('xs and ys differ in length');
  if (xs.length === 0) throw new Error('no training examples');
  const k = classes;
  const v = new Float64Array(dimension * k);
  const bias = new Float64Array(k);
  const classWeights = options.classWeights ?? new Array<number>(k).fill(1);
  const random = mulberry32(options.seed);
  const order = Int32Array.from(xs.keys());
  const p = new Float64Array(k);
  const { learningRate, l2 } = options;
  let scale = 1;
  let t = 0;
  const averaged = Math.max(1, Math.min(options.epochs, options.averageEpochs ?? 1));
  const avgW = new Float64Array(v.length);
  const avgB = new Float64Array(k);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Fisher–Yates with the seeded PRNG.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    let loss = 0;
    for (const n of order) {
      const { indices, values } = xs[n];
      const y = ys[n];
      const eta = learningRate / (1 + learningRate * l2 * t++);
      for (let c = 0; c < k; c++) p[c] = 0;
      for (let q = 0; q < indices.length; q++) {
        const base = indices[q] * k;
        const x = values[q];
        for (let c = 0; c < k; c++) p[c] += v[base + c] * x;
      }
      for (let c = 0; c < k; c++) p[c] = p[c] * scale + bias[c];
      softmaxInPlace(p, k);
      const cw = classWeights[y];
      loss -= cw * Math.log(Math.max(p[y], 1e-15));

      scale *= 1 - eta * l2;
      const step = (eta * cw) / scale;
      for (let c = 0; c < k; c++) {
        const g = p[c] - (c === y ? 1 : 0);
        bias[c] -= eta * cw * g;
        p[c] = g * step;
      }
      for (let q = 0; q < indices.length; q++) {
        const base = indices[q] * k;
        const x = values[q];
        for (let c = 0; c < k; c++) v[base + c] -= p[c] * x;
      }
      if (scale < 1e-6) {
        for (let i = 0; i < v.length; i++) v[i] *= scale;
        scale = 1;
      }
    }
    options.onEpoch?.(epoch + 1, loss / xs.length);
    if (epoch + 1 > options.epochs - averaged) {
      for (let i = 0; i < v.length; i++) avgW[i] += v[i] * scale;
      for (let c = 0; c < k; c++) avgB[c] += bias[c];
    }
  }

  const weights = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) weights[i] = avgW[i] / averaged;
  return { classes: k, dimension, weights, bias: Float32Array.from(avgB, (b) => b / averaged) };
}
