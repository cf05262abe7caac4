import { SENTIMENT_LABELS, type LabelledText } from './labels.js';
import { computeMetrics, type Evaluation } from './metrics.js';
import { trainModel, type TrainingOptions } from './train.js';

/**
 * k-fold cross-validation on the training split (fold of text i = i mod k, so it is deterministic):
 * the honest way to compare settings without looking at the validation split. Returns the pooled
 * out-of-fold evaluation.
 */
export function crossValidate(
  rows: LabelledText[],
  options: Partial<TrainingOptions> = {},
  folds = 5,
): Evaluation {
  const truth: LabelledText['label'][] = [];
  const predicted: LabelledText['label'][] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = rows.filter((_, i) => i % folds !== fold);
    const held = rows.filter((_, i) => i % folds === fold);
    const { model } = trainModel({
      train,
      validation: [],
      trainingDataSha256: '',
      dataset: `fold ${fold}`,
      options,
    });
    truth.push(...held.map((r) => r.label));
    predicted.push(...model.classify(held.map((r) => r.text)));
  }
  return computeMetrics(`${folds}-fold CV (${SENTIMENT_LABELS.length} classes)`, truth, predicted);
}
