import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ScanEventsService, type ScanEvent } from './scan-events.service.js';
import type { ScanDto } from './scans.dto.js';
import { ScansService } from './scans.service.js';
import type { WsClient } from './ws-client.js';
import type { TerminalFrame } from './ws-protocol.js';
import { WsSubscriptions } from './ws.subscriptions.js';

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
   * Subscribes, then checks the stored state, so a scan finishing in between is never missed.
   * `checkVisibility` is false for a scan the client just started or joined (the key may see it).
   */
  async follow(client: WsClient, scanId: string, checkVisibility: boolean): Promise<void> {
    const id = scanId.toLowerCase();
    this.subscriptions.add(client, id);
    const scan = checkVisibility
      ? await this.scans.findVisible(id, client.principal)
      : await this.scans.load(id);
    if (!scan) {
      this.subscriptions.remove(client, id);
      return client.send({
        type: 'error',
        message: `no scan ${scanId.slice(0, 40)} for this API key`,
      });
    }
    if (scan.status === 'completed')
      this.subscriptions.finish(client, id, { type: 'completed', scan });
    else if (scan.status === 'failed')
      this.subscriptions.finish(client, id, {
        type: 'failed',
        scanId: id,
        error: scan.error ?? 'scan failed',
      });
    else if (scan.status === 'running')
      client.progress(id, { type: 'progress', scanId: id, ...scan.progress, partial: [] });
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
    let frame: TerminalFrame;
    if (event.kind === 'failed')
      frame = { type: 'failed', scanId: event.scanId, error: event.error };
    else {
      const scan = await this.loadPatiently(event.scanId);
      // Never silence: without the stored scan the client is told where to read it.
      frame = scan
        ? { type: 'completed', scan }
        : {
            type: 'error',
            message: `scan ${event.scanId} completed; read it with GET /v1/scans/${event.scanId}`,
          };
    }
    // Those who subscribed while the scan loaded are included; follow() sent them nothing terminal yet.
    for (const client of this.subscriptions.subscribersOf(event.scanId))
      this.subscriptions.finish(client, event.scanId, frame);
  }

  /**
   * The finished scan for its terminal frame, retried for ~10 s: a busy or briefly unreachable
   * database must not cost every subscriber on this process its completed frame.
   */
  private async loadPatiently(scanId: string): Promise<ScanDto | null> {
    for (const delay of LOAD_RETRY_DELAYS_MS) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await this.scans.load(scanId);
      } catch (error) {
        this.logger.warn({ err: error, scanId }, 'loading a finished scan failed; retrying');
      }
    }
    return null;
  }
}
