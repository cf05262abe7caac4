/**
 * One thread of the batch pool (batch-pool.ts). Piscina loads this module when the thread starts;
 * the model is built once here, from the artifact text the main thread already verified, and every
 * task is one batch, classified with the same code as inline prediction. The predictions go back as
 * JSON text: one string to copy instead of a thousand objects for the event loop to rebuild, then
 * serialize again.
 */
import { workerData } from 'node:worker_threads';
import { SentimentModel } from '#sentiment';
import type { BatchWorkerData } from './batch-pool.js';

const { artifact, source } = workerData as BatchWorkerData;
const model = SentimentModel.parse(artifact, source);

export default function classify(texts: string[]): string {
  return JSON.stringify(model.predictBatch(texts));
}
