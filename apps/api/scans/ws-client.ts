import type { WebSocket } from 'ws';
import type { Principal } from '../auth/api-key.service.js';
import type { ProgressFrame, ServerFrame, TerminalFrame } from './ws-protocol.js';

/** Above this many unsent bytes progress frames wait (coalesced) instead of being queued. */
const HIGH_WATER_BYTES = 256 * 1024;
/** A reader this far behind is not reading at all: drop it rather than hold its frames. */
const HARD_LIMIT_BYTES = 8 * 1024 * 1024;
const RETRY_FLUSH_MS = 100;

/**
 * One connection's state. Progress frames are coalesced per scan — only the newest waits while the
 * socket is backed up — so a slow or stopped reader costs bounded memory. Terminal frames are sent
 * once per scan.
 */
export class WsClient {
  readonly subscriptions = new Set<string>();
  private readonly pending = new Map<string, ProgressFrame>();
  private readonly finished = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private alive = true;

  constructor(
    private readonly socket: WebSocket,
    readonly principal: Principal,
    readonly ip: string,
  ) {
    socket.on('pong', () => (this.alive = true));
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > HARD_LIMIT_BYTES) {
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  progress(scanId: string, frame: ProgressFrame): void {
    if (this.finished.has(scanId)) return;
    this.pending.set(scanId, frame);
    this.flush();
  }

  terminal(scanId: string, frame: TerminalFrame): void {
    if (this.finished.has(scanId)) return;
    this.finished.add(scanId);
    this.pending.delete(scanId);
    this.send(frame);
  }

  /** Called every ping interval: a client that did not answer the last ping is gone. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.pending.clear();
  }

  private flush(): void {
    if (this.socket.bufferedAmount > HIGH_WATER_BYTES) {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, RETRY_FLUSH_MS);
      return;
    }
    for (const frame of this.pending.values()) this.send(frame);
    this.pending.clear();
  }
}
