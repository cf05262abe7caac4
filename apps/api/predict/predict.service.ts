import { Injectable } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { predictDuration, predictTexts } from '#observability';
import type { Prediction, SentimentModel } from '#sentiment';
import { ProblemException } from '../http/problem.js';
import { ModelService } from './model.service.js';
import type { ModelInfoDto, PredictionBatchDto, PredictionDto } from './predict.dto.js';

/** Texts classified between yields in a batch: keeps each slice of event-loop time near a millisecond. */
const SLICE = 32;

@Injectable()
export class PredictService {
  constructor(private readonly models: ModelService) {}

  predict(text: string): PredictionDto {
    const model = this.require();
    const end = predictDuration.startTimer({ kind: 'single' });
    const prediction = model.predict(text);
    end();
    predictTexts.inc();
    return { ...prediction, modelVersion: model.manifest.version };
  }

  async predictBatch(texts: string[]): Promise<PredictionBatchDto> {
    const model = this.require();
    const end = predictDuration.startTimer({ kind: 'batch' });
    const results: Prediction[] = [];
    for (let i = 0; i < texts.length; i += SLICE) {
      if (i > 0) await yieldToEventLoop();
      results.push(...model.predictBatch(texts.slice(i, i + SLICE)));
    }
    end();
    predictTexts.inc(texts.length);
    return { results, modelVersion: model.manifest.version };
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

  private require(): SentimentModel {
    const model = this.models.current;
    if (!model)
      throw new ProblemException(503, 'The sentiment model is not loaded yet; retry shortly');
    return model;
  }
}
