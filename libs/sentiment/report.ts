import type { ModelArtifact } from './artifact.js';
import { SENTIMENT_LABELS } from './labels.js';
import type { Evaluation } from './metrics.js';
import type { SpeedReport } from './speed.js';

const f4 = (x: number): string => x.toFixed(4);
const int = (x: number): string => x.toLocaleString('en-US');

/**
 * The metrics tables for a set of classifiers scored on the same texts. `model eval` prints exactly
 * this block, and models/REPORT.md embeds it, so the two can be compared line by line.
 */
export function renderEvaluationTables(evaluations: Evaluation[], dataLabel: string): string {
  const samples = evaluations[0]?.samples ?? 0;
  const lines: string[] = [];
  lines.push(`Data: ${dataLabel}, ${int(samples)} texts.`, '');
  lines.push(
    '| classifier | accuracy | macro-F1 | ' +
      SENTIMENT_LABELS.map((l) => `${l} P / R / F1`).join(' | ') +
      ' |',
  );
  lines.push('|---|---:|---:|' + SENTIMENT_LABELS.map(() => '---:').join('|') + '|');
  for (const e of evaluations) {
    const perClass = SENTIMENT_LABELS.map((l) => {
      const m = e.perClass[l];
      return `${f4(m.precision)} / ${f4(m.recall)} / ${f4(m.f1)}`;
    });
    lines.push(`| ${e.name} | ${f4(e.accuracy)} | ${f4(e.macroF1)} | ${perClass.join(' | ')} |`);
  }
  lines.push(
    '',
    'Support (true texts per class): ' +
      SENTIMENT_LABELS.map((l) => `${l} ${evaluations[0]?.perClass[l].support ?? 0}`).join(', ') +
      '.',
  );
  for (const e of evaluations) {
    lines.push('', `Confusion matrix, ${e.name} (rows: true class, columns: predicted):`, '');
    lines.push('| true \\ predicted | ' + SENTIMENT_LABELS.join(' | ') + ' |');
    lines.push('|---|' + SENTIMENT_LABELS.map(() => '---:').join('|') + '|');
    SENTIMENT_LABELS.forEach((label, r) =>
      lines.push(`| ${label} | ${e.confusion[r].join(' | ')} |`),
    );
  }
  return lines.join('\n') + '\n';
}

export interface ReportInput {
  artifact: ModelArtifact;
  artifactPath: string;
  artifactBytes: number;
  evaluations: Evaluation[];
  validationLabel: string;
  trainingMs: number;
  speed: SpeedReport;
  /** Free text about the machine, e.g. "Node v20.20.2, linux x64, 2 cores". */
  machine: string;
  crossValidation?: string;
}

const GOAL = { macroF1: 0.8, accuracy: 0.85 };

/** models/REPORT.md. */
export function renderReport(input: ReportInput): string {
  const { artifact, evaluations, speed } = input;
  const m = artifact.manifest;
  const model = evaluations[0];
  const meets = (x: number, goal: number) =>
    Math.round(x * 10_000) / 10_000 >= goal ? 'met' : 'not met';
  const t = artifact.training;
  return `# Sentiment model — evaluation report

Written by \`npm run cli -- model train\`. Every figure in the validation tables is recomputed by
\`npm run cli -- model eval\` (model and baselines in the same run, on the same split); the timing
figures are measurements and vary from run to run.

## Result against the goal

| | reached (validation) | goal | |
|---|---:|---:|---|
| macro-F1 | ${f4(model.macroF1)} | ≥ ${GOAL.macroF1.toFixed(2)} | ${meets(model.macroF1, GOAL.macroF1)} |
| accuracy | ${f4(model.accuracy)} | ≥ ${GOAL.accuracy.toFixed(2)} | ${meets(model.accuracy, GOAL.accuracy)} |
| batch throughput | ${int(Math.round(speed.batchTextsPerSecond))} texts/s | ≥ 20,000 texts/s | ${speed.batchTextsPerSecond >= 20_000 ? 'met' : 'not met'} |
| single text p99 | ${speed.singleP99Ms.toFixed(3)} ms | ≤ 5 ms | ${speed.singleP99Ms <= 5 ? 'met' : 'not met'} |

## Model

| | |
|---|---|
| version | \`${m.version}\` |
| algorithm | ${m.algorithm} |
| classes | ${m.classes.join(', ')} |
| sha256 (model block) | \`${m.sha256}\` |
| training data | ${m.dataset}, sha256 \`${m.trainingDataSha256}\` |
| training | seed ${t.seed}, ${t.epochs} epochs (weights averaged over the last ${t.averageEpochs}), learning rate ${t.learningRate}, L2 ${t.l2}, class weights ${t.classWeights.join(' / ')} (${SENTIMENT_LABELS.join(' / ')}) |
| training time | ${(input.trainingMs / 1000).toFixed(1)} s (featurization + SGD, one core) |
| artifact | \`${input.artifactPath}\`, ${(input.artifactBytes / 1024 / 1024).toFixed(1)} MiB |
| trained at | ${m.trainedAt} |

## Validation results

Baselines map their scores to the same three labels: VADER compound ≥ 0.05 → bullish, ≤ −0.05 →
bearish, else neutral; AFINN total score > 0 → bullish, < 0 → bearish, else neutral; the majority
class is the most frequent label of the training split.

${renderEvaluationTables(evaluations, input.validationLabel)}
## How the settings were chosen

${input.crossValidation ? `${input.crossValidation}\n\n` : ''}Compared this way during development: word-block weight (1–5), a stemmed-word block, character
n-gram ranges (2–5, 3–5, 3–6), 2^18 against 2^20 buckets, TF-IDF and naive-Bayes feature scaling,
L2 strength, class-weight power (0 to 1), epochs and averaging of the SGD iterates, and adding a
general-English sentiment lexicon as extra training examples (it hurt). Averaging the iterates of
the last half of the epochs, over 40 epochs instead of 20, gave the clearest gain (cross-validated
macro-F1 0.757 → 0.769) and made the result less dependent on the seed. The seed itself still
moves the validation figures by a few tenths of a point (seed 7 instead of the default gave
accuracy 0.8580 and macro-F1 0.7976), so the macro-F1 goal is met, but narrowly. Most remaining errors are bearish or bullish texts
read as neutral (see the confusion matrix), often on words the training split never shows.

## Speed

In-process, \`SentimentModel\` on one core (${input.machine}), over the ${int(speed.texts)} validation texts:

| | |
|---|---:|
| \`predictBatch\` throughput (median of ${speed.batchRuns} runs) | ${int(Math.round(speed.batchTextsPerSecond))} texts/s |
| \`predict\` one text, p50 | ${speed.singleP50Ms.toFixed(3)} ms |
| \`predict\` one text, p99 | ${speed.singleP99Ms.toFixed(3)} ms |

HTTP latency of \`POST /v1/predict\` is measured by \`bench/\`, not here.

## Data

Hugging Face dataset [zeroshot/twitter-financial-news-sentiment](https://huggingface.co/datasets/zeroshot/twitter-financial-news-sentiment)
(MIT License): finance tweets labelled 0 = bearish, 1 = bullish, 2 = neutral; train split
\`data/sentiment/sent_train.csv\` (9,543 texts), validation split \`data/sentiment/sent_valid.csv\`
(2,388 texts). The model is trained on the train split only; there is no separate test split
upstream, so the validation split is both where the settings were checked and what is reported.

## Reproduce

\`\`\`
npm run cli -- model train     # retrains; the same data gives the same sha256 and version
npm run cli -- model eval      # recomputes the tables above from the committed artifact
npm run cli -- model eval --data FILE.csv   # any text,label CSV (labels 0/1/2 or names)
\`\`\`
`;
}
