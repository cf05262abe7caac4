import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from './queues.js';
import { ScanQueueMetrics } from './scan-queue.metrics.js';
import { ScanProducer } from './scan.producer.js';

/**
 * The scan queue, registered the same way in the api (which enqueues) and the worker (which
 * consumes): both write the queue's settings to Redis, so they must agree. Both also sample the
 * queue's depth into the metrics (ScanQueueMetrics). Needs JobsModule.forRoot.
 */
@Module({
  imports: [
    BullModule.registerQueue({
      name: QUEUES.scan,
      // The event stream only feeds live WebSocket progress (PostgreSQL is the source of truth), so
      // it keeps the last 1,000 events instead of BullMQ's 10,000: ≤ ~20 MiB of Redis, not hundreds.
      streams: { events: { maxLen: 1000 } },
      defaultJobOptions: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        // Results live in PostgreSQL; keep Redis small.
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 24 * 3600, count: 1000 },
      },
    }),
  ],
  providers: [ScanProducer, ScanQueueMetrics],
  exports: [ScanProducer],
})
export class ScanQueueModule {}
