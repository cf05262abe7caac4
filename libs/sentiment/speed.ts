import type { SentimentModel } from './sentiment-model.js';

export interface SpeedReport {
  texts: number;
  /** Median over the runs of texts / second for one predictBatch call over all texts. */
  batchTextsPerSecond: number;
  batchRuns: number;
  /** Latency of predict() on one text, over every text once, in ms. */
  singleP50Ms: number;
  singleP99Ms: number;
}

/**
 * Measures in-process inference speed (one core, after a warm-up run). Reported, never asserted:
 * timing belongs in reports and bench/, not in unit tests.
 */
export function measureSpeed(model: SentimentModel, texts: string[], batchRuns = 9): SpeedReport {
  model.predictBatch(texts); // warm-up: JIT and scratch buffers
  const rates: number[] = [];
  for (let r = 0; r < batchRuns; r++) {
    const t0 = performance.now();
    model.predictBatch(texts);
    rates.push(texts.length / ((performance.now() - t0) / 1000));
  }
  const latencies = texts.map((text) => {
    const t0 = performance.now();
    model.predict(text);
    return performance.now() - t0;
  });
  return {
    texts: texts.length,
    batchTextsPerSecond: quantile(rates, 0.5),
    batchRuns,
    singleP50Ms: quantile(latencies, 0.5),
    singleP99Ms: quantile(latencies, 0.99),
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
