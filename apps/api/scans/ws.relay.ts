import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CarriedScanResult } from '#jobs';
import { contextOfTraceparent, inSpan, SpanKind } from '#tracing';
import { ScanEventsService, type ScanEvent } from './scan-events.service.js';
import type { ScanDto } from './scans.dto.js';
import { ScansService } from './scans.service.js';
import type { PendingAnswer, WsClient } from './ws-client.js';
import type { TerminalFrame } from './ws-protocol.js';
import { withId, WsSubscriptions } from './ws.subscriptions.js';

/** Waits before each attempt to load a finished scan: ~10 s in all. */
const LOAD_RETRY_DELAYS_MS = [0, 250, 1000, 3000, 6000];

/**
 * Scan events (from every worker, through QueueEvents) to the subscribed connections of this
 * process, and the catch-up a new subscriber needs: the scan's stored state.
 */
@Injectable()
export class WsRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WsRelay.name);
  private stopEvents: (() => void) | undefined;

  constructor(
    private readonly events: ScanEventsService,
    private readonly scans: ScansService,
    private readonly subscriptions: WsSubscriptions,
  ) {}

  onModuleInit(): void {
    this.stopEvents = this.events.onEvent((event) =>
      this.relay(event).catch((error: unknown) =>
        this.logger.warn({ err: error, scanId: event.scanId }, 'scan event not relayed'),
      ),
    );
  }

  onApplicationShutdown(): void {
    this.stopEvents?.();
  }

  /**
   * Checks the stored state of a scan `answer` follows (added by the caller before this call, so a
   * scan finishing in between is never missed): a finished scan answers `answer` at once, a running
   * one gets its current progress. The caller made sure the credential may see the scan (it started
   * or joined it, or the gateway checked before subscribing). Rejects when the state cannot be
   * read; `answer` is left waiting.
   */
  async follow(client: WsClient, scanId: string, answer: PendingAnswer): Promise<void> {
    const scan = await this.scans.load(scanId);
    // Answered meanwhile by the relayed outcome, or unsubscribed: nothing is owed any more.
    if (!this.subscriptions.isPending(client, scanId, answer)) return;
    if (!scan) {
      this.subscriptions.drop(client, scanId, answer);
      return client.send(
        withId(
          { type: 'error', message: `no scan ${scanId.slice(0, 40)} for this API key` },
          answer.id,
        ),
      );
    }
    if (scan.status === 'completed')
      this.subscriptions.answer(client, scanId, answer, { type: 'completed', scan });
    else if (scan.status === 'failed')
      this.subscriptions.answer(client, scanId, answer, {
        type: 'failed',
        scanId,
        error: scan.error ?? 'scan failed',
      });
    // Read from the job, this may be older than frames relayed while it was read: the client's
    // guard sends it only if it is news.
    else if (scan.status === 'running')
      client.progress(scanId, { type: 'progress', scanId, ...scan.progress, partial: [] });
  }

  private async relay(event: ScanEvent): Promise<void> {
    const subscribers = this.subscriptions.subscribersOf(event.scanId);
    if (subscribers.length === 0) return;
    if (event.kind === 'progress') {
      for (const client of subscribers)
        client.progress(event.scanId, {
          type: 'progress',
          scanId: event.scanId,
          ...event.progress,
        });
      return;
    }
    if (event.kind === 'failed')
      return this.finish(event.scanId, {
        type: 'failed',
        scanId: event.scanId,
        error: event.error,
      });
    // Part of the scan's trace (tracing on): a child of the worker's job, whose context came back
    // with the job's return value.
    await inSpan(
      'ws relay completed',
      {
        kind: SpanKind.CONSUMER,
        parent: contextOfTraceparent(event.traceparent),
        attributes: { 'scan.id': event.scanId, 'ws.subscribers': subscribers.length },
      },
      async () => {
        const scan = await this.loadPatiently(event.scanId, event.result);
        // Never silence: without the stored scan the client is told where to read it.
        this.finish(
          event.scanId,
          scan
            ? { type: 'completed', scan }
            : {
                type: 'error',
                message: `scan ${event.scanId} completed; read it with GET /v1/scans/${event.scanId}`,
              },
        );
      },
    );
  }

  /**
   * Sends a scan's terminal frame to its subscribers, those who subscribed while the scan loaded
   * included; follow() answers none of the frames answered here (it checks that they still wait).
   */
  private finish(scanId: string, frame: TerminalFrame): void {
    for (const client of this.subscriptions.subscribersOf(scanId))
      this.subscriptions.finish(client, scanId, frame);
  }

  /**
   * The finished scan for its terminal frame, retried for ~10 s: a busy or briefly unreachable
   * database must not cost every subscriber on this process its completed frame.
   */
  private async loadPatiently(
    scanId: string,
    carried?: CarriedScanResult,
  ): Promise<ScanDto | null> {
    for (const delay of LOAD_RETRY_DELAYS_MS) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await this.scans.load(scanId, carried);
      } catch (error) {
        this.logger.warn({ err: error, scanId }, 'loading a finished scan failed; retrying');
      }
    }
    return null;
  }
}
