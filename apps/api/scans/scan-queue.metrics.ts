import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ScanProducer } from '#jobs';
import { scanQueueJobs } from '#observability';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
const EVERY_MS = 5000;

/** Samples the scan queue's job counts by state into `scan_queue_jobs` every few seconds. */
@Injectable()
export class ScanQueueMetrics implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly producer: ScanProducer) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    try {
      const counts = await this.producer.jobCounts(...STATES);
      for (const state of STATES) scanQueueJobs.set({ state }, counts[state] ?? 0);
    } catch {
      // Redis away: keep the last values; readiness reports the outage.
    }
  }
}
