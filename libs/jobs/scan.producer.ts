import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { JobType, Queue } from 'bullmq';
import { closeWithin } from './close-within.js';
import { JOBS, QUEUES } from './queues.js';
import type { ScanJobPayloadV2 } from './scan.payload.js';

/** Longest a producer call may take before the caller gives up (Redis down must not hang a request). */
const ENQUEUE_TIMEOUT_MS = 1500;

export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the job queue (Redis) is unavailable', { cause });
    this.name = 'QueueUnavailableError';
  }
}

/** The queue already holds `waiting` scans, at or past the caller's bound: a new one would wait long. */
export class QueueBacklogError extends Error {
  constructor(readonly waiting: number) {
    super(`the scan queue holds ${waiting} waiting jobs`);
    this.name = 'QueueBacklogError';
  }
}

/** Jobs not yet taken by a worker: what a new job would wait behind. */
const WAITING_STATES = ['waiting', 'prioritized'] as const;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);

/** The only caller of `queue.add` for the scan queue (ScanQueueModule registers the queue). */
@Injectable()
export class ScanProducer implements OnApplicationShutdown {
  constructor(@InjectQueue(QUEUES.scan) private readonly queue: Queue) {
    // Connection errors surface on the calls; without a listener they would also be printed.
    this.queue.on('error', () => {});
  }

  /**
   * Enqueues a scan with the queue's default job options (retries, retention); the job id is the
   * scan run id, which is never reused, so BullMQ cannot drop the job as a duplicate of an old one
   * (taskforcesh/bullmq#1337). With `maxWaiting`, throws QueueBacklogError instead when that many
   * jobs already wait (a count, then the add: concurrent producers may pass the bound by a few).
   */
  async enqueue(
    payload: ScanJobPayloadV2,
    { maxWaiting }: { maxWaiting?: number } = {},
  ): Promise<void> {
    if (maxWaiting !== undefined) {
      const waiting = await this.waitingJobs();
      if (waiting >= maxWaiting) throw new QueueBacklogError(waiting);
    }
    try {
      await withTimeout(
        this.queue.add(JOBS.runScan, payload, { jobId: payload.scanRunId }),
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

  /** How many jobs are in each of `states` (for the queue-depth gauge); rejects while Redis is away. */
  jobCounts<S extends JobType>(...states: S[]): Promise<Partial<Record<S, number>>> {
    return withTimeout(this.queue.getJobCounts(...states), ENQUEUE_TIMEOUT_MS) as Promise<
      Partial<Record<S, number>>
    >;
  }

  private async waitingJobs(): Promise<number> {
    try {
      const counts = await this.jobCounts(...WAITING_STATES);
      return WAITING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  /** Closes the queue within 2 s (Redis away must not hold up a shutdown); @nestjs/bullmq's own hook then finds it closed. */
  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.queue.close(), 2000);
  }
}
