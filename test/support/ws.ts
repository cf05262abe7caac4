import { once } from 'node:events';
import WebSocket from 'ws';
import type { FrameOf, ServerFrame } from './api-types.js';
import { waitFor } from './e2e.js';

/** An open socket and every frame it received so far, in order. */
export interface FrameLog {
  socket: WebSocket;
  frames: ServerFrame[];
  /** The frames of one type received so far. */
  of<K extends ServerFrame['type']>(type: K): FrameOf<K>[];
  /** Sends a client message as a JSON text frame. */
  send(message: Record<string, unknown>): void;
  /** Waits until `check` holds over the frames received so far. */
  until(check: (frames: ServerFrame[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  /**
   * Sends a frame the server must answer with an error and waits for that answer: every frame the
   * server sent before it has then arrived (one socket delivers in order). No fixed sleep.
   */
  roundTrip(timeoutMs?: number): Promise<void>;
}

/** Opens a WebSocket (key in X-API-Key, or none) and records every frame it receives. */
export async function openSocket(
  url: string,
  key?: string,
  headers: Record<string, string> = {},
): Promise<FrameLog> {
  const socket = new WebSocket(url, {
    headers: { ...(key ? { 'X-API-Key': key } : {}), ...headers },
  });
  const frames: ServerFrame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  await once(socket, 'open');
  const log: FrameLog = {
    socket,
    frames,
    of: <K extends ServerFrame['type']>(type: K) =>
      frames.filter((f): f is FrameOf<K> => f.type === type),
    send: (message) => socket.send(JSON.stringify(message)),
    until: (check, timeoutMs, what) => waitFor(() => check(frames), timeoutMs, what),
    async roundTrip(timeoutMs = 10_000) {
      const errors = log.of('error').length;
      log.send({ type: 'round-trip' });
      await log.until(
        () => log.of('error').length > errors,
        timeoutMs,
        'the answer to a round-trip frame',
      );
    },
  };
  return log;
}

/** The HTTP status with which the server refuses an upgrade. */
export async function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  const socket = new WebSocket(url, { headers });
  // Terminating a refused socket reports "closed before the connection was established": expected.
  socket.on('error', () => {});
  const [, res] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
  socket.terminate();
  return res.statusCode;
}

/** Tries to open a WebSocket: the socket, and `'open'` or the status its upgrade was refused with. */
export async function attemptSocket(
  url: string,
  options: WebSocket.ClientOptions,
): Promise<{ socket: WebSocket; outcome: 'open' | number }> {
  const socket = new WebSocket(url, options);
  socket.on('error', () => {});
  const outcome = await Promise.race([
    once(socket, 'open').then(() => 'open' as const),
    once(socket, 'unexpected-response').then(
      ([, res]) => (res as { statusCode: number }).statusCode,
    ),
  ]);
  return { socket, outcome };
}
