import { SENTIMENT_LABELS, labelIndex, type LabelledText, type SentimentLabel } from './labels.js';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** How many texts truly have this class. */
  support: number;
}

/** Quality of one classifier on one labelled set. */
export interface Evaluation {
  name: string;
  samples: number;
  accuracy: number;
  /** Unweighted mean of the per-class F1 scores. */
  macroF1: number;
  perClass: Record<SentimentLabel, ClassMetrics>;
  /** `confusion[truth][predicted]`, both indexed in {@link SENTIMENT_LABELS} order. */
  confusion: number[][];
}

/** Anything that labels texts: the model or a baseline. */
export interface TextClassifier {
  readonly name: string;
  classify(texts: string[]): SentimentLabel[];
}

/**
 * Accuracy, per-class precision/recall/F1 and the confusion matrix. A class that is never predicted
 * has precision 0 (and so F1 0), as scikit-learn reports with zero_division=0.
 */
export function computeMetrics(
  name: string,
  truth: SentimentLabel[],
  predicted: SentimentLabel[],
): Evaluation {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const k = SENTIMENT_LABELS.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++)
    confusion[labelIndex(truth[i])][labelIndex(predicted[i])]++;
  let correct = 0;
  let f1Sum = 0;
  const perClass = {} as Record<SentimentLabel, ClassMetrics>;
  SENTIMENT_LABELS.forEach((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    correct += tp;
    f1Sum += f1;
  });
  return {
    name,
    samples: truth.length,
    accuracy: truth.length > 0 ? correct / truth.length : 0,
    macroF1: f1Sum / k,
    perClass,
    confusion,
  };
}

/** Runs `classifier` over `data` and scores it against the labels. */
export function evaluate(classifier: TextClassifier, data: LabelledText[]): Evaluation {
  const predicted = classifier.classify(data.map((d) => d.text));
  return computeMetrics(
    classifier.name,
    data.map((d) => d.label),
    predicted,
  );
}

/** Metrics are stored and reported to 4 decimals, so the manifest and REPORT.md show the same figures. */
export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
