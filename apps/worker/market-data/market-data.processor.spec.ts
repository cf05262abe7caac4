import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import { JOBS } from '#jobs';
import { MarketDataProcessor, REFRESH_CRON } from './market-data.processor.js';
import { parseRefreshBarsPayload } from './refresh-bars.payload.js';

const noDatabase = {} as DataSource;
const configWith = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, '/nonexistent/.env');

describe('MarketDataProcessor.process', () => {
  it('fails an unknown job name without retries', async () => {
    const processor = new MarketDataProcessor(configWith({ POLYGON_API_KEY: 'k' }), noDatabase);
    await assert.rejects(processor.process({ id: '1', name: 'other', data: {} }), UnrecoverableError);
  });

  it('fails without retries when this worker has no POLYGON_API_KEY', async () => {
    const processor = new MarketDataProcessor(configWith({}), noDatabase);
    await assert.rejects(
      processor.process({ id: '1', name: JOBS.refreshBars, data: { v: 1, requestId: 'r' } }),
      /POLYGON_API_KEY is not set/,
    );
  });
});

describe('refresh schedule', () => {
  it('runs at 16:30 New York time on weekdays', () => {
    assert.deepEqual(REFRESH_CRON, { pattern: '30 16 * * 1-5', tz: 'America/New_York' });
  });
});

describe('parseRefreshBarsPayload', () => {
  it('accepts a version 1 payload with optional until and maxDays', () => {
    assert.deepEqual(parseRefreshBarsPayload({ v: 1, requestId: 'r', until: '2018-02-09', maxDays: 5 }), {
      v: 1,
      requestId: 'r',
      until: '2018-02-09',
      maxDays: 5,
    });
  });

  it('rejects other versions and bad fields with one UnrecoverableError naming them all', () => {
    assert.throws(
      () => parseRefreshBarsPayload({ v: 2, until: 'tomorrow', maxDays: 0 }),
      (error: unknown) => error instanceof UnrecoverableError && /version 2, requestId, until, maxDays/.test(error.message),
    );
  });
});
