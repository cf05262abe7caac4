import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MarketDataProducer } from './market-data.producer.js';
import { QUEUES } from './queues.js';

/** The market-data queue (refresh-bars jobs) and its producer. Needs JobsModule.forRoot. */
@Module({
  imports: [
    BullModule.registerQueue({
      name: QUEUES.marketData,
      defaultJobOptions: {
        // The Polygon client already retried each request; a job-level retry covers longer outages.
        attempts: 3,
        backoff: { type: 'exponential', delay: 10 * 60_000 },
        // The outcome is in data_versions; Redis keeps only a short history for operators.
        removeOnComplete: { count: 50 },
        removeOnFail: { count: 100 },
      },
    }),
  ],
  providers: [MarketDataProducer],
  exports: [MarketDataProducer],
})
export class MarketDataQueueModule {}
