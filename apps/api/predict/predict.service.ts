import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { predictDuration, predictTexts } from '#observability';
import type { Prediction, SentimentModel } from '#sentiment';
import { ProblemException } from '../http/problem.js';
import { ModelService, type LoadedModel } from './model.service.js';
import type { ModelInfoDto, PredictionDto } from './predict.dto.js';

/**
 * Texts classified between yields when a batch runs on the event loop (PREDICT_THREADS=0, or the
 * pool could not start): keeps each slice of event-loop time near a millisecond.
 */
const SLICE = 32;

/**
 * One text is classified inline: it takes a few tens of µs, less than handing it to a thread and
 * back. A batch goes to the model's pool of worker threads, so the event loop is never held by it.
 */
@Injectable()
export class PredictService {
  private readonly logger = new Logger(PredictService.name);

  constructor(private readonly models: ModelService) {}

  predict(text: string): PredictionDto {
    const { model } = this.require();
    const end = predictDuration.startTimer({ kind: 'single' });
    const prediction = model.predict(text);
    end();
    predictTexts.inc();
    return { ...prediction, modelVersion: model.manifest.version };
  }

  /**
   * The answer to a batch as JSON text, a PredictionBatchDto: `{"results":[…],"modelVersion":"…"}`,
   * the bytes JSON.stringify would write for it. The pool's threads send their predictions as JSON
   * text, which is embedded as it is: the event loop neither rebuilds nor serializes them.
   */
  async predictBatch(texts: string[]): Promise<string> {
    const { model, pool } = this.require();
    const end = predictDuration.startTimer({ kind: 'batch' });
    let results: string;
    if (pool === null) {
      results = JSON.stringify(await inline(model, texts));
    } else {
      try {
        results = await pool.run(texts);
      } catch (error) {
        // A thread that dies mid-batch (out of memory, a crash): the pool starts another, and
        // the caller may simply send the batch again.
        this.logger.error({ err: error, texts: texts.length }, 'batch prediction thread failed');
        throw new ProblemException(
          503,
          'The thread classifying this batch stopped before it finished; retry the request',
        );
      }
    }
    end();
    predictTexts.inc(texts.length);
    return `{"results":${results},"modelVersion":${JSON.stringify(model.manifest.version)}}`;
  }

  info(): ModelInfoDto {
    const model = this.models.current;
    if (!model)
      return {
        loaded: false,
        version: null,
        algorithm: null,
        classes: [],
        trainedAt: null,
        dataset: null,
        metrics: null,
      };
    const m = model.manifest;
    return {
      loaded: true,
      version: m.version,
      algorithm: m.algorithm,
      classes: m.classes,
      trainedAt: m.trainedAt,
      dataset: m.dataset,
      metrics: m.metrics,
    };
  }

  private require(): LoadedModel {
    const loaded = this.models.currentWithPool;
    if (!loaded)
      throw new ProblemException(503, 'The sentiment model is not loaded yet; retry shortly');
    return loaded;
  }
}

/** A batch on the event loop, yielding after every slice. */
async function inline(model: SentimentModel, texts: string[]): Promise<Prediction[]> {
  const results: Prediction[] = [];
  for (let i = 0; i < texts.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    results.push(...model.predictBatch(texts.slice(i, i + SLICE)));
  }
  return results;
}
