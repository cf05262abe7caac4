import type { BeforeApplicationShutdown } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { Worker } from 'bullmq';
import { closeWithin } from './close-within.js';

/**
 * How long a stopping worker waits for its running job: below Supervisor's stopwaitsecs (120 s), so
 * a worker cut off from Redis (its job can never finish then) still exits by itself.
 */
export const DRAIN_TIMEOUT_MS = 110_000;

/**
 * The Worker class @nestjs/bullmq builds for every `@Processor` (JobsModule sets it). Its close()
 * waits for the running job at most DRAIN_TIMEOUT_MS, and every caller shares that one wait: first
 * the consumer's drain, then @nestjs/bullmq's own shutdown hook, which would otherwise wait without
 * bound for a job stuck on a Redis that is away.
 */
export class DrainingWorker extends Worker {
  private draining: Promise<boolean> | undefined;

  override async close(force = false): Promise<void> {
    this.draining ??= closeWithin(super.close(force), DRAIN_TIMEOUT_MS);
    await this.draining;
  }
}

/**
 * The base of every consumer: a `@Processor` whose worker stops taking jobs and finishes the running
 * one when the app shuts down. That happens before any `onApplicationShutdown` hook, so the database
 * pool and the Redis clients the job uses are still open while it finishes.
 */
export abstract class DrainingWorkerHost extends WorkerHost implements BeforeApplicationShutdown {
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
