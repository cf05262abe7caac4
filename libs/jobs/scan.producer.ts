import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#config';
import { bullConnection } from './bull-connection.js';
import { closeWithin } from './close-within.js';
import { JOBS, QUEUES } from './queues.js';
import type { ScanJobPayloadV1 } from './scan.payload.js';

/** Longest a producer call may take before the caller gives up (Redis down must not hang a request). */
const ENQUEUE_TIMEOUT_MS = 1500;

export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the job queue (Redis) is unavailable', { cause });
    this.name = 'QueueUnavailableError';
  }
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/** The only caller of `queue.add` for the scan queue. */
@Injectable()
export class ScanProducer implements OnApplicationShutdown {
  readonly queue: Queue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new Queue(QUEUES.scan, {
      connection: bullConnection(config.redisUrl, 'producer'),
      // The event stream only feeds live WebSocket progress (PostgreSQL is the source of truth), so
      // it keeps the last 1,000 events instead of BullMQ's 10,000: ≤ ~20 MiB of Redis, not hundreds.
      streams: { events: { maxLen: 1000 } },
    });
    // Connection errors surface on the calls; without a listener they would also be printed.
    this.queue.on('error', () => {});
  }

  /**
   * Enqueues a scan; the job id is the scan run id, which is never reused, so BullMQ cannot drop
   * the job as a duplicate of an old one (taskforcesh/bullmq#1337).
   */
  async enqueue(payload: ScanJobPayloadV1): Promise<void> {
    try {
      await withTimeout(
        this.queue.add(JOBS.runScan, payload, {
          jobId: payload.scanRunId,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          // Results live in PostgreSQL; keep Redis small.
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 24 * 3600, count: 1000 },
        }),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  /** Whether the scan's job is still in the queue (waiting, active, delayed or kept after finishing). */
  async exists(scanRunId: string): Promise<boolean> {
    try {
      return (await withTimeout(this.queue.getJob(scanRunId), ENQUEUE_TIMEOUT_MS)) !== undefined;
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  /** The job's last reported progress, or null when the job is gone or Redis is unavailable. */
  async progressOf(scanRunId: string): Promise<unknown> {
    try {
      const job = await withTimeout(this.queue.getJob(scanRunId), ENQUEUE_TIMEOUT_MS);
      return job?.progress ?? null;
    } catch {
      return null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.queue.close(), 2000);
  }
}
