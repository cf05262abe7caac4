import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '#config';
import { bullConnection, JOBS, JobsModule, QUEUES, REFRESH_SCHEDULER_ID } from '#jobs';
import { MarketDataModule } from '../apps/worker/market-data/market-data.module.js';
import type { RefreshJobResult } from '../apps/worker/market-data/market-data.processor.js';
import { testConfig, waitFor } from './support/e2e.js';
import { API_KEY, usePolygon } from './support/polygon.js';

/**
 * The refresher of polygon.e2e-spec.ts as the worker runs it: the market-data module, its
 * after-close schedule and refresh-bars jobs through BullMQ, against the fake Polygon and the real
 * test database, which is put back to the embedded data before and after (support/polygon.ts).
 */

describe('live data from Polygon (fake server, real database)', () => {
  const fixture = usePolygon();

  describe('through the worker’s market-data processor and BullMQ', () => {
    let worker: INestApplicationContext;
    let queue: Queue;
    let events: QueueEvents;

    before(async () => {
      const base = testConfig();
      const connection = bullConnection(base.redisUrl, 'consumer');
      queue = new Queue(QUEUES.marketData, { connection });
      events = new QueueEvents(QUEUES.marketData, { connection });
      await queue.obliterate({ force: true });
      await events.waitUntilReady();
      // The worker's market-data module as the worker app wires it, on this spec's config and data source.
      @Global()
      @Module({
        providers: [
          {
            provide: APP_CONFIG,
            useValue: { ...base, polygon: { apiKey: API_KEY, baseUrl: fixture.polygon.url } },
          },
          { provide: DataSource, useValue: fixture.ds },
        ],
        exports: [APP_CONFIG, DataSource],
      })
      class SpecContext {}
      @Module({ imports: [SpecContext, JobsModule.forRoot('consumer'), MarketDataModule] })
      class SpecWorker {}
      worker = await NestFactory.createApplicationContext(SpecWorker, { logger: false });
    });

    after(async () => {
      await worker?.close();
      await queue?.removeJobScheduler(REFRESH_SCHEDULER_ID);
      await queue?.obliterate({ force: true });
      await events?.close();
      await queue?.close();
    });

    it('keeps the after-close schedule in Redis: 16:30 New York time on weekdays', async () => {
      await waitFor(
        async () => (await queue.getJobScheduler(REFRESH_SCHEDULER_ID)) !== undefined,
        5000,
        'the job scheduler',
      );
      const scheduler = await queue.getJobScheduler(REFRESH_SCHEDULER_ID);
      assert.equal(scheduler?.pattern, '30 16 * * 1-5');
      assert.equal(scheduler?.tz, 'America/New_York');
      assert.equal(scheduler?.name, JOBS.refreshBars);
    });

    it('runs a refresh-bars job with the same refresher: bars upserted, one new data version', async () => {
      const versions = await fixture.versions();
      const job = await queue.add(JOBS.refreshBars, {
        v: 1,
        requestId: 'e2e-polygon',
        until: '2018-02-09',
      });
      const result = (await job.waitUntilFinished(events, 20_000)) as RefreshJobResult;
      assert.equal(result.status, 'updated');
      assert.equal(result.requestedDays, 2);
      assert.equal(result.barsWritten, 5);
      assert.equal(await fixture.versions(), versions + 1);
      assert.equal(await fixture.barsAfterEmbedded(), 5);
    });

    it('fails a malformed day without job retries (UnrecoverableError)', async () => {
      fixture.polygon.script('2018-02-12', { status: 200, body: '[]' });
      const job = await queue.add(
        JOBS.refreshBars,
        { v: 1, requestId: 'e2e-polygon-bad', until: '2018-02-12' },
        { attempts: 3 },
      );
      await assert.rejects(
        job.waitUntilFinished(events, 20_000),
        /malformed response body: not a JSON object/,
      );
      const failed = await queue.getJob(job.id!);
      assert.equal(failed?.attemptsMade, 1);
    });
  });
});
