// Public API of the sentiment library. Inference (SentimentModel and what it needs) imports no
// Nest and touches the file system only in SentimentModel.load; training, evaluation and the
// report are used by the CLI.
export { SentimentModel, ModelIntegrityError, type Prediction } from './sentiment-model.js';
export {
  ARTIFACT_FORMAT,
  modelDigest,
  versionFromDigest,
  type ModelArtifact,
  type ModelManifest,
  type TrainingRecord,
} from './artifact.js';
export { SENTIMENT_LABELS, parseLabel, type SentimentLabel, type LabelledText } from './labels.js';
export { tokenize } from './tokenizer.js';
export {
  trainModel,
  DEFAULT_TRAINING_OPTIONS,
  type TrainInput,
  type TrainResult,
  type TrainingOptions,
} from './train.js';
export {
  evaluate,
  computeMetrics,
  type Evaluation,
  type ClassMetrics,
  type TextClassifier,
} from './metrics.js';
export { crossValidate } from './cross-validation.js';
export { readLabelledCsv, parseLabelledCsv, type LabelledDataset } from './dataset.js';
export { loadBaselines, majorityBaseline, vaderBaseline, afinnBaseline } from './baselines.js';
export { measureSpeed, type SpeedReport } from './speed.js';
export { renderEvaluationTables, renderReport, type ReportInput } from './report.js';
