import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue, RepeatOptions } from 'bullmq';
import { closeWithin } from './close-within.js';
import type { PruneScansPayloadV1 } from './prune-scans.payload.js';
import { JOBS, PRUNE_SCANS_SCHEDULER_ID, QUEUES } from './queues.js';

/**
 * The only producer of the maintenance queue (MaintenanceQueueModule registers it): keeps the
 * prune-scans job scheduler, whose jobs BullMQ adds; `pruneNow` adds one at once (operators, tests).
 */
@Injectable()
export class MaintenanceProducer implements OnApplicationShutdown {
  constructor(@InjectQueue(QUEUES.maintenance) private readonly queue: Queue) {
    // Connection errors surface on the calls; without a listener they would also be printed.
    this.queue.on('error', () => {});
  }

  /** Enqueues prune-scans on `repeat`; replaces an earlier schedule. */
  async schedulePrune(repeat: Pick<RepeatOptions, 'pattern' | 'tz'>): Promise<void> {
    const data: PruneScansPayloadV1 = { v: 1, requestId: `schedule:${PRUNE_SCANS_SCHEDULER_ID}` };
    await this.queue.upsertJobScheduler(PRUNE_SCANS_SCHEDULER_ID, repeat, {
      name: JOBS.pruneScans,
      data,
    });
  }

  /** One prune-scans job now; returns its id. */
  async pruneNow(requestId: string): Promise<string> {
    const data: PruneScansPayloadV1 = { v: 1, requestId };
    const job = await this.queue.add(JOBS.pruneScans, data);
    return job.id!;
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.queue.close(), 2000);
  }
}
