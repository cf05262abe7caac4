import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { scanQueueBacklog, scanQueueJobs } from '#observability';
import { ScanProducer } from './scan.producer.js';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
/** Jobs no worker has taken yet: BullMQ keeps them in the `wait` list and the `prioritized` set. */
const BACKLOG_STATES = ['waiting', 'prioritized'] as const;
const EVERY_MS = 5000;

/**
 * Samples the scan queue's job counts every few seconds into `scan_queue_jobs` (by state) and
 * `scan_queue_backlog` (waiting + prioritized). Registered with the queue, so the api and every
 * worker publish them: a worker host's metrics alone are enough to scale worker hosts on.
 */
@Injectable()
export class ScanQueueMetrics implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly producer: ScanProducer) {}

  onModuleInit(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One sample (the timer's; public for the spec). */
  async sample(): Promise<void> {
    try {
      const counts = await this.producer.jobCounts(...STATES);
      for (const state of STATES) scanQueueJobs.set({ state }, counts[state] ?? 0);
      scanQueueBacklog.set(BACKLOG_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0));
    } catch {
      // Redis away: keep the last values; readiness (health_ready) reports the outage.
    }
  }
}
