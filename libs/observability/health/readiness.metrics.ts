import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { healthReady } from '../metrics.js';
import { allUp, ReadinessService } from './readiness.service.js';

const EVERY_MS = 10_000;

/**
 * Samples the readiness checks into `health_ready` (1 ready, 0 not) every 10 s, so a scrape sees
 * readiness without running the checks itself (a scrape must not wait up to the checks' timeout).
 */
@Injectable()
export class ReadinessMetrics implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly readiness: ReadinessService) {}

  onModuleInit(): void {
    // Not ready until the first sample says so.
    healthReady.set(0);
    void this.sample();
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    healthReady.set(0);
  }

  /** One sample (the timer's; public for the spec). Overlapping samples are skipped. */
  async sample(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      healthReady.set(allUp(await this.readiness.check()) ? 1 : 0);
    } catch {
      healthReady.set(0);
    } finally {
      this.running = false;
    }
  }
}
