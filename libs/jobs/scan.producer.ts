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

/**
 * A backlog count younger than this, with this process's adds since, may stand for a new one
 * while it is below a quarter of the bound: a round trip less per new scan on a queue far from
 * its bound (issue 16). Near the bound every enqueue counts afresh.
 */
export const BACKLOG_COUNT_FRESH_MS = 1000;
const FAR_FROM_BOUND = 0.25;

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
  /** The backlog as last counted, and the jobs this process added since. */
  private counted: { waiting: number; at: number; addedSince: number } | null = null;

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
    if (maxWaiting !== undefined && !this.farFromBound(maxWaiting)) {
      const waiting = await this.waitingJobs();
      this.counted = { waiting, at: Date.now(), addedSince: 0 };
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
    if (this.counted) this.counted.addedSince++;
  }

  /**
   * Whether the last count, plus what this process added since, is recent and below a quarter of
   * `maxWaiting`. Other api processes' adds meanwhile are unseen: with P processes the bound may be
   * passed by what they add in BACKLOG_COUNT_FRESH_MS, at most P × a quarter of it — the bound keeps
   * a queue from growing without end, it was never exact (a count, then the add).
   */
  private farFromBound(maxWaiting: number): boolean {
    const last = this.counted;
    return (
      last !== null &&
      Date.now() - last.at < BACKLOG_COUNT_FRESH_MS &&
      last.waiting + last.addedSince < maxWaiting * FAR_FROM_BOUND
    );
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
