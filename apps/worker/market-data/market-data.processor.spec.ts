import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import { JOBS, type WatchesProducer } from '#jobs';
import { MarketDataProcessor } from './market-data.processor.js';

const noDatabase = {} as DataSource;
/** These jobs never reach a refresh, so nothing is announced. */
const noWatches = {} as WatchesProducer;
const configWith = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: 'test', ...env }, '/nonexistent/.env');

describe('MarketDataProcessor.process', () => {
  it('fails an unknown job name without retries', async () => {
    const processor = new MarketDataProcessor(
      configWith({ POLYGON_API_KEY: 'k' }),
      noDatabase,
      noWatches,
    );
    await assert.rejects(
      processor.process({ id: '1', name: 'other', data: {} }),
      UnrecoverableError,
    );
  });

  it('fails without retries when this worker has no POLYGON_API_KEY', async () => {
    const processor = new MarketDataProcessor(configWith({}), noDatabase, noWatches);
    await assert.rejects(
      processor.process({ id: '1', name: JOBS.refreshBars, data: { v: 1, requestId: 'r' } }),
      /POLYGON_API_KEY is not set/,
    );
  });

  it('fails a malformed payload without retries', async () => {
    const processor = new MarketDataProcessor(
      configWith({ POLYGON_API_KEY: 'k' }),
      noDatabase,
      noWatches,
    );
    await assert.rejects(
      processor.process({ id: '1', name: JOBS.refreshBars, data: { v: 1 } }),
      UnrecoverableError,
    );
  });
});

describe('MarketDataProcessor on start', () => {
  const withWorker = (processor: MarketDataProcessor, worker: object) =>
    Object.defineProperty(processor, 'worker', { get: () => worker });

  it('starts taking jobs when POLYGON_API_KEY is set', () => {
    let runs = 0;
    const processor = withWorker(
      new MarketDataProcessor(configWith({ POLYGON_API_KEY: 'k' }), noDatabase, noWatches),
      {
        run: async () => void runs++,
      },
    );
    processor.onApplicationBootstrap();
    assert.equal(runs, 1);
  });

  it('never takes a job without POLYGON_API_KEY (live data off)', () => {
    let runs = 0;
    const processor = withWorker(new MarketDataProcessor(configWith({}), noDatabase, noWatches), {
      run: async () => void runs++,
    });
    processor.onApplicationBootstrap();
    assert.equal(runs, 0);
  });
});
