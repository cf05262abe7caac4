import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { alertDeliveryJobId, type AlertDeliveryPayload } from './alert-delivery.payload.js';
import { closeWithin } from './close-within.js';
import { JOBS, QUEUES, WATCH_CHECK_SCHEDULER_ID } from './queues.js';

/** Data of the watches queue's jobs: what asked for the evaluation (logs only). */
export interface EvaluateWatchesPayload {
  reason: string;
  dataVersion?: number;
}

/**
 * Producer of the watches queue (evaluation after a new data version) and of the alert-delivery
 * queue (the alerts an evaluation recorded). Every id is deterministic: a version is evaluated by
 * one job however many processes announce it, and a retried evaluation adds no second delivery.
 */
@Injectable()
export class WatchesProducer implements OnApplicationShutdown {
  constructor(
    @InjectQueue(QUEUES.watches) private readonly watches: Queue,
    @InjectQueue(QUEUES.alertDelivery) private readonly delivery: Queue,
  ) {
    this.watches.on('error', () => {});
    this.delivery.on('error', () => {});
  }

  /** Evaluates every watch on `dataVersion`, once: the job id is the version's. */
  async evaluateVersion(dataVersion: number, reason: string): Promise<void> {
    const data: EvaluateWatchesPayload = { reason, dataVersion };
    await this.watches.add(JOBS.evaluateWatches, data, { jobId: `evaluate:${dataVersion}` });
  }

  /**
   * Every `everyMs`, a check for a version (or a new watch) no evaluation has seen: versions
   * written by a process without a queue (the CLI) are found this way. Replaces an earlier schedule.
   */
  async scheduleCheck(everyMs: number): Promise<void> {
    const data: EvaluateWatchesPayload = { reason: `schedule:${WATCH_CHECK_SCHEDULER_ID}` };
    await this.watches.upsertJobScheduler(
      WATCH_CHECK_SCHEDULER_ID,
      { every: everyMs },
      { name: JOBS.checkDataVersion, data },
    );
  }

  /** Hands committed alerts to delivery; `batch` names them (deterministic across retries). */
  async deliver(dataVersion: number, batch: string, alertIds: string[]): Promise<void> {
    const data: AlertDeliveryPayload = { dataVersion, alertIds };
    await this.delivery.add(JOBS.deliverAlerts, data, {
      jobId: alertDeliveryJobId(dataVersion, batch),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      closeWithin(this.watches.close(), 2000),
      closeWithin(this.delivery.close(), 2000),
    ]);
  }
}
