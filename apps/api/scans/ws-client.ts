import type { WebSocket } from 'ws';
import { isProgressAhead, isProgressBehind, type ProgressPosition } from '#jobs';
import type { Principal } from '../auth/api-key.service.js';
import type { ProgressFrame, ServerFrame, TerminalFrame } from './ws-protocol.js';

/** Above this many unsent bytes progress frames wait (coalesced) instead of being queued. */
const HIGH_WATER_BYTES = 256 * 1024;
/** A reader this far behind is not reading at all: drop it rather than hold its frames. */
const HARD_LIMIT_BYTES = 8 * 1024 * 1024;
const RETRY_FLUSH_MS = 100;
/**
 * How many scans' positions a connection remembers beyond those it follows: enough that a scan
 * unsubscribed and followed again keeps its guard, bounded so a long-lived socket stays small.
 */
const REMEMBERED_SCANS = 256;
/**
 * Where a socket was shown a scan to be. `framed` is false for the progress inside `accepted`: the
 * first progress frame may repeat that position (it is no repeated frame), only not fall behind it.
 */
interface Shown {
  at: ProgressPosition;
  framed: boolean;
}
/** Past the end of any scan: nothing after a terminal frame is ahead of it. */
const ENDED: Shown = {
  at: { stage: 'finalizing', percent: Infinity, symbolsScanned: 0 },
  framed: true,
};

/** One subscribe or scan frame waiting for its terminal answer; `id` is the frame's own. */
export interface PendingAnswer {
  readonly id: string | undefined;
}

/**
 * One connection's state. Progress frames are guarded per scan: one is sent only if it is ahead of
 * the last this socket saw for that scan (stage and percent never go back, the same frame never
 * twice), whatever the source — relayed events, a catch-up read, a retried attempt. They are also
 * coalesced per scan — only the newest waits while the socket is backed up — so a slow or stopped
 * reader costs bounded memory. Terminal frames answer requests, one per pending subscribe or scan.
 */
export class WsClient {
  /** Scans this connection follows, each with the requests still waiting for their answer. */
  readonly subscriptions = new Map<string, Set<PendingAnswer>>();
  private readonly pending = new Map<string, ProgressFrame>();
  /** Per scan, the furthest position this socket was shown (accepted, progress, or its end). */
  private readonly positions = new Map<string, Shown>();
  private flushTimer: NodeJS.Timeout | undefined;
  private alive = true;
  /** Client frames this socket may still send now (a token bucket refilled `framesPerSecond`). */
  private frameTokens: number;
  private tokensAt = performance.now();

  constructor(
    private readonly socket: WebSocket,
    readonly principal: Principal,
    readonly ip: string,
    private readonly framesPerSecond = 20,
  ) {
    this.frameTokens = 2 * framesPerSecond;
    socket.on('pong', () => (this.alive = true));
  }

  /**
   * Whether one more client frame may be handled now: `framesPerSecond` on average, bursts of
   * twice that. Each frame may cost a database query; a refused one costs only its error answer.
   */
  allowFrame(now = performance.now()): boolean {
    const burst = 2 * this.framesPerSecond;
    this.frameTokens = Math.min(
      burst,
      this.frameTokens + ((now - this.tokensAt) / 1000) * this.framesPerSecond,
    );
    this.tokensAt = now;
    if (this.frameTokens < 1) return false;
    this.frameTokens -= 1;
    return true;
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > HARD_LIMIT_BYTES) {
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends `accepted`; the progress it shows is the floor for the scan's progress frames. */
  accepted(frame: Extract<ServerFrame, { type: 'accepted' }>): void {
    const { id, progress } = frame.scan;
    const shown = this.positions.get(id);
    if (!shown || isProgressAhead(progress, shown.at))
      this.remember(id, { at: progress, framed: false });
    this.send(frame);
  }

  /** A progress frame, sent (or left waiting) only if it is ahead of what the socket saw. */
  progress(scanId: string, frame: ProgressFrame): void {
    if (!this.advance(scanId, frame)) return;
    this.pending.set(scanId, frame);
    this.flush();
  }

  /** A terminal frame: sent at once; the scan's waiting and later progress are dropped. */
  terminal(scanId: string, frame: TerminalFrame): void {
    this.remember(scanId, ENDED);
    this.pending.delete(scanId);
    this.send(frame);
  }

  /** Ends the connection with an application close code (e.g. a revoked credential). */
  closeWith(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
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

  private advance(scanId: string, position: ProgressPosition): boolean {
    const shown = this.positions.get(scanId);
    if (
      shown &&
      (shown.framed ? !isProgressAhead(position, shown.at) : isProgressBehind(position, shown.at))
    )
      return false;
    this.remember(scanId, { at: position, framed: true });
    return true;
  }

  private remember(scanId: string, shown: Shown): void {
    // Re-inserted, so the map's order is least recently moved first.
    this.positions.delete(scanId);
    this.positions.set(scanId, shown);
    if (this.positions.size <= this.subscriptions.size + REMEMBERED_SCANS) return;
    for (const oldest of this.positions.keys())
      if (!this.subscriptions.has(oldest)) {
        this.positions.delete(oldest);
        return;
      }
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
