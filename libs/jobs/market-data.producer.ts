import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue, RepeatOptions } from 'bullmq';
import { closeWithin } from './close-within.js';
import { JOBS, QUEUES, REFRESH_SCHEDULER_ID } from './queues.js';
import type { RefreshBarsPayloadV1 } from './refresh-bars.payload.js';

/**
 * The only producer of the market-data queue (MarketDataQueueModule registers it). Refresh-bars jobs
 * come from one BullMQ job scheduler, which this class keeps or removes; BullMQ adds the jobs.
 */
@Injectable()
export class MarketDataProducer implements OnApplicationShutdown {
  constructor(@InjectQueue(QUEUES.marketData) private readonly queue: Queue) {
    // Connection errors surface on the calls; without a listener they would also be printed.
    this.queue.on('error', () => {});
  }

  /** Enqueues refresh-bars on `repeat` (with the queue's default job options); replaces an earlier schedule. */
  async scheduleRefresh(repeat: Pick<RepeatOptions, 'pattern' | 'tz'>): Promise<void> {
    const data: RefreshBarsPayloadV1 = { v: 1, requestId: `schedule:${REFRESH_SCHEDULER_ID}` };
    await this.queue.upsertJobScheduler(REFRESH_SCHEDULER_ID, repeat, {
      name: JOBS.refreshBars,
      data,
    });
  }

  /** Removes the schedule; false when there was none. */
  unscheduleRefresh(): Promise<boolean> {
    return this.queue.removeJobScheduler(REFRESH_SCHEDULER_ID);
  }

  /** Closes the queue within 2 s (Redis away must not hold up a shutdown); @nestjs/bullmq's own hook then finds it closed. */
  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.queue.close(), 2000);
  }
}
