import { EventEmitter } from 'node:events';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  bullConnection,
  carriedResultOf,
  closeWithin,
  QUEUES,
  type CarriedScanResult,
  type ScanProgress,
} from '#jobs';

const CLOSE_TIMEOUT_MS = 2000;

export type ScanEvent =
  | { kind: 'progress'; scanId: string; progress: ScanProgress }
  /**
   * `traceparent`: the trace of the worker's job (tracing on); `result`: the stored result when the
   * worker carried it (CarriedScanResult); both from the job's return value.
   */
  | { kind: 'completed'; scanId: string; traceparent?: string; result?: CarriedScanResult }
  | { kind: 'failed'; scanId: string; error: string };

/**
 * Scan progress and outcomes from BullMQ QueueEvents (a Redis stream), so every api process hears
 * about every scan whichever worker ran it. Consumers: `?wait=` on POST and the WebSocket gateway.
 *
 * Not a @nestjs/bullmq `@QueueEventsListener`: that opens QueueEvents on the registered queue's
 * connection, which in the api is the fail-fast producer one (no offline queue, 1.5 s command
 * timeout). QueueEvents reads with a blocking XREAD and must wait through a Redis outage, so it
 * needs the patient consumer connection, which only a hand-made instance can have.
 */
@Injectable()
export class ScanEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ScanEventsService.name);
  private readonly emitter = new EventEmitter();
  private events: QueueEvents | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // One listener per waiting request or socket subscription: no fixed bound applies.
    this.emitter.setMaxListeners(0);
  }

  onModuleInit(): void {
    this.events = new QueueEvents(QUEUES.scan, {
      connection: bullConnection(this.config.redisUrl, 'consumer', this.config.redisTlsCa),
      prefix: this.config.queuePrefix,
    });
    this.events.on('error', (error) =>
      this.logger.warn({ err: error }, 'scan events connection error'),
    );
    this.events.on('progress', ({ jobId, data }) =>
      this.emit({ kind: 'progress', scanId: jobId, progress: data as unknown as ScanProgress }),
    );
    this.events.on('completed', ({ jobId, returnvalue }) =>
      this.emit({
        kind: 'completed',
        scanId: jobId,
        traceparent: traceparentOf(returnvalue),
        result: carriedResultOf(returnvalue),
      }),
    );
    // Only the final failure matters to clients; retries show up as progress starting again.
    this.events.on('failed', ({ jobId, failedReason }) =>
      this.emit({ kind: 'failed', scanId: jobId, error: failedReason }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(this.events?.close(), CLOSE_TIMEOUT_MS);
  }

  private emit(event: ScanEvent): void {
    this.emitter.emit('event', event);
    this.emitter.emit(event.scanId, event);
  }

  /** Every scan event (for the gateway). Returns an unsubscribe function. */
  onEvent(listener: (event: ScanEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Resolves when the scan completes or fails — with its terminal event when one was heard, true
   * when `isFinished` found it finished — or after `timeoutMs` (false). `isFinished` is checked
   * after subscribing, so a scan that finished in between is not missed.
   */
  async waitForFinish(
    scanId: string,
    timeoutMs: number,
    isFinished: () => Promise<boolean>,
  ): Promise<boolean | Exclude<ScanEvent, { kind: 'progress' }>> {
    let listener: ((event: ScanEvent) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finished = new Promise<boolean | Exclude<ScanEvent, { kind: 'progress' }>>((resolve) => {
      listener = (event) => {
        if (event.kind !== 'progress') resolve(event);
      };
      this.emitter.on(scanId, listener);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      if (await isFinished()) return true;
      return await finished;
    } finally {
      this.emitter.off(scanId, listener!);
      clearTimeout(timer);
    }
  }
}

/** The `traceparent` a scan job returns (ScanProcessor); anything else is ignored. */
function traceparentOf(returnvalue: unknown): string | undefined {
  const value = (returnvalue as { traceparent?: unknown } | null)?.traceparent;
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}
