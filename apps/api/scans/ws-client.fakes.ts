import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { WsClient } from './ws-client.js';
import type { ProgressFrame, TerminalFrame } from './ws-protocol.js';

// A hand-made socket and frames for WsClient's specs (ws-client.spec.ts and
// ws-client.progress-guard.spec.ts): its decisions are tested in process; real sockets in
// test/ws*.e2e-spec.ts.

/** The thresholds of ws-client.ts, restated: the behaviour under test is defined by them. */
export const HIGH_WATER_BYTES = 256 * 1024;
export const HARD_LIMIT_BYTES = 8 * 1024 * 1024;
export const RETRY_FLUSH_MS = 100;

/**
 * A hand-made socket with the few members WsClient uses. Sent bytes stay in `bufferedAmount` until
 * the reader reads them, as they stay in ws's buffer until the kernel takes them: a reader that
 * never calls read() is a stopped reader, one that reads after every frame keeps up.
 */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Record<string, unknown>[] = [];
  pings = 0;
  terminated = false;

  constructor(private readonly readsEverything = false) {
    super();
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
    this.bufferedAmount += Buffer.byteLength(data);
    if (this.readsEverything) this.read();
  }

  /** The reader takes `bytes` (everything by default) off the buffer. */
  read(bytes = this.bufferedAmount): void {
    this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
  }

  ping(): void {
    this.pings++;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  typesSent(): string[] {
    return this.sent.map(
      (f) => `${f['type']} ${f['scanId']}${f['percent'] === undefined ? '' : ` ${f['percent']}`}`,
    );
  }
}

const principal = { keyId: 'key-1', name: 'e2e', scopes: ['scan' as const] };
export const clientOn = (socket: FakeSocket) =>
  new WsClient(socket as unknown as WebSocket, principal, '127.0.0.1');
// Frames with only the fields WsClient reads; a string of the wanted size stands in for the partial
// ranking, so a test controls how many bytes a frame puts on the socket.
export const progress = (scanId: string, percent: number, padding = 0) =>
  ({ type: 'progress', scanId, percent, partial: 'x'.repeat(padding) }) as unknown as ProgressFrame;
export const completed = (scanId: string) =>
  ({ type: 'completed', scanId }) as unknown as TerminalFrame;

/** Puts the socket just over the high-water mark, as a reader that fell behind leaves it. */
export const fallBehind = (socket: FakeSocket, bytes = HIGH_WATER_BYTES + 1) =>
  (socket.bufferedAmount = bytes);
