import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MaintenanceProducer } from './maintenance.producer.js';
import { QUEUES } from './queues.js';

/** The maintenance queue (prune-scans jobs) and its producer. Needs JobsModule.forRoot. */
@Module({
  imports: [
    BullModule.registerQueue({
      name: QUEUES.maintenance,
      defaultJobOptions: {
        // Deleting is idempotent; a database blip is retried a few minutes later.
        attempts: 3,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: { count: 30 },
        removeOnFail: { count: 30 },
      },
    }),
  ],
  providers: [MaintenanceProducer],
  exports: [MaintenanceProducer],
})
export class MaintenanceQueueModule {}
