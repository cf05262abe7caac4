import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from './queues.js';
import { WatchesProducer } from './watches.producer.js';

/** The watches and alert-delivery queues and their producer. Needs JobsModule.forRoot. */
@Module({
  imports: [
    BullModule.registerQueue(
      {
        name: QUEUES.watches,
        defaultJobOptions: {
          // Evaluation is idempotent per (watch, version): a retry redoes only what is left.
          attempts: 5,
          backoff: { type: 'exponential', delay: 5_000 },
          // Ids are deterministic (evaluate:<version>): keeping the finished ones makes a second
          // announcement of the same version a no-op for a while; the fence covers the rest.
          removeOnComplete: { count: 200 },
          removeOnFail: { count: 100 },
        },
      },
      {
        name: QUEUES.alertDelivery,
        defaultJobOptions: {
          attempts: 8,
          backoff: { type: 'exponential', delay: 2_000 },
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 1000 },
        },
      },
    ),
  ],
  providers: [WatchesProducer],
  exports: [WatchesProducer],
})
export class WatchesQueueModule {}
