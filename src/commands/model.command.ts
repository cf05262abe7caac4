import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppConfig } from '#config';
import {
  SentimentModel,
  crossValidate,
  evaluate,
  loadBaselines,
  measureSpeed,
  readLabelledCsv,
  renderEvaluationTables,
  renderReport,
  trainModel,
  type Evaluation,
} from '#sentiment';
import { info } from './with-data-source.js';

const TRAIN_CSV = 'data/sentiment/sent_train.csv';
const VALID_CSV = 'data/sentiment/sent_valid.csv';
const DATASET = 'zeroshot/twitter-financial-news-sentiment';

/** `models/sentiment-model.json` → `models/sentiment-model.manifest.json`. */
const manifestPathFor = (modelPath: string) => modelPath.replace(/(\.json)?$/, '.manifest.json');

const dataLabel = (path: string) => relative(process.cwd(), resolve(path)) || path;

/** Writes through a temporary file and a rename, so a reader never sees half an artifact. */
async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

async function evaluateAll(
  model: SentimentModel,
  rows: Parameters<typeof evaluate>[1],
): Promise<Evaluation[]> {
  const evaluations = [evaluate(model, rows)];
  for (const baseline of await loadBaselines(model.training.classCounts))
    evaluations.push(evaluate(baseline, rows));
  return evaluations;
}

export function registerModelCommands(program: Command, config: () => AppConfig): void {
  const model = program.command('model').description('financial-sentiment model');

  model
    .command('train')
    .description(
      'train on the training split, evaluate on the validation split, write the artifact and models/REPORT.md',
    )
    .option('--out <path>', 'artifact to write (default: MODEL_PATH)')
    .option('--train <csv>', 'training split (text,label)', TRAIN_CSV)
    .option('--valid <csv>', 'validation split (text,label)', VALID_CSV)
    .option('--report <path>', 'report to write (default: REPORT.md beside the artifact)')
    .option(
      '--cv',
      'also run 5-fold cross-validation on the training split and put it in the report',
    )
    .action(
      async (opts: {
        out?: string;
        train: string;
        valid: string;
        report?: string;
        cv?: boolean;
      }) => {
        const out = opts.out ?? config().modelPath;
        const reportPath = opts.report ?? join(dirname(out), 'REPORT.md');
        const train = await readLabelledCsv(opts.train);
        const valid = await readLabelledCsv(opts.valid);
        info(
          `training on ${dataLabel(opts.train)} (${train.rows.length} texts), validating on ${dataLabel(opts.valid)} (${valid.rows.length})`,
        );

        let crossValidation: string | undefined;
        if (opts.cv) {
          info('5-fold cross-validation on the training split …');
          const cv = crossValidate(train.rows);
          crossValidation =
            `With the settings used (\`DEFAULT_TRAINING_OPTIONS\` in libs/sentiment/train.ts), 5-fold ` +
            `cross-validation on the training split alone (fold = row index mod 5) gives accuracy ` +
            `${cv.accuracy.toFixed(4)} and macro-F1 ${cv.macroF1.toFixed(4)} (${cv.samples} out-of-fold texts). ` +
            `Settings were compared by this figure, not by the validation split.`;
          info(`  accuracy ${cv.accuracy.toFixed(4)}, macro-F1 ${cv.macroF1.toFixed(4)}`);
        }

        const result = trainModel({
          train: train.rows,
          validation: valid.rows,
          trainingDataSha256: train.sha256,
          dataset: `${DATASET} train split (${train.rows.length} texts)`,
          onEpoch: (epoch, loss) =>
            info(`  epoch ${String(epoch).padStart(2)}  loss ${loss.toFixed(4)}`),
        });
        info(`trained in ${(result.trainingMs / 1000).toFixed(1)} s`);

        const json = JSON.stringify(result.artifact) + '\n';
        await writeAtomically(out, json);
        await writeAtomically(
          manifestPathFor(out),
          JSON.stringify(result.artifact.manifest, null, 2) + '\n',
        );
        const artifactBytes = (await stat(out)).size;
        // Measured on the model as loaded back from disk, which also proves the file verifies.
        const loaded = await SentimentModel.load(out);
        const evaluations = await evaluateAll(loaded, valid.rows);
        const speed = measureSpeed(
          loaded,
          valid.rows.map((r) => r.text),
        );
        const report = renderReport({
          artifact: result.artifact,
          artifactPath: dataLabel(out),
          artifactBytes,
          evaluations,
          validationLabel: dataLabel(opts.valid),
          trainingMs: result.trainingMs,
          speed,
          machine: `Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} cores`,
          crossValidation,
        });
        await writeAtomically(reportPath, report);

        const m = result.artifact.manifest;
        info(
          `wrote ${dataLabel(out)} (${(artifactBytes / 1024 / 1024).toFixed(1)} MiB), version ${m.version}`,
        );
        info(`wrote ${dataLabel(reportPath)}`);
        info(
          `validation: accuracy ${m.metrics.accuracy.toFixed(4)}, macro-F1 ${m.metrics.macroF1.toFixed(4)}`,
        );
        info(
          `predictBatch ${Math.round(speed.batchTextsPerSecond)} texts/s, predict p99 ${speed.singleP99Ms.toFixed(3)} ms`,
        );
      },
    );

  model
    .command('eval')
    .description(
      'print the metrics tables of the model and the baselines on a text,label CSV (stdout)',
    )
    .option('--data <csv>', 'labelled texts', VALID_CSV)
    .option('--model <path>', 'artifact (default: MODEL_PATH)')
    .action(async (opts: { data: string; model?: string }) => {
      const modelPath = opts.model ?? config().modelPath;
      const loaded = await SentimentModel.load(modelPath);
      const data = await readLabelledCsv(opts.data);
      info(
        `model ${loaded.manifest.version} from ${dataLabel(modelPath)}, ${data.rows.length} texts from ${dataLabel(opts.data)}`,
      );
      const evaluations = await evaluateAll(loaded, data.rows);
      process.stdout.write(renderEvaluationTables(evaluations, dataLabel(opts.data)));
      const m = loaded.manifest.metrics;
      const e = evaluations[0];
      if (
        e.samples === m.samples &&
        (e.accuracy.toFixed(4) !== m.accuracy.toFixed(4) ||
          e.macroF1.toFixed(4) !== m.macroF1.toFixed(4))
      ) {
        info(
          `note: the manifest records accuracy ${m.accuracy}, macro-F1 ${m.macroF1} for its validation split`,
        );
      }
    });

  model
    .command('predict <text...>')
    .description('classify one text and print the prediction as JSON')
    .option('--model <path>', 'artifact (default: MODEL_PATH)')
    .action(async (words: string[], opts: { model?: string }) => {
      const loaded = await SentimentModel.load(opts.model ?? config().modelPath);
      process.stdout.write(
        JSON.stringify({
          ...loaded.predict(words.join(' ')),
          modelVersion: loaded.manifest.version,
        }) + '\n',
      );
    });
}
