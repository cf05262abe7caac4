import type { IncomingMessage } from 'node:http';
import type { ScanProgress } from '#jobs';
import type { ScanDto } from './scans.dto.js';

/** Server → client frames of DESIGN §4. */
export type ServerFrame =
  | { type: 'accepted'; scan: ScanDto }
  | ({ type: 'progress'; scanId: string } & ScanProgress)
  | { type: 'completed'; scan: ScanDto }
  | { type: 'failed'; scanId: string; error: string }
  | { type: 'error'; message: string };

/** A frame that ends a scan for its subscribers (or tells them where to read it). */
export type TerminalFrame = Extract<ServerFrame, { type: 'completed' | 'failed' | 'error' }>;
export type ProgressFrame = Extract<ServerFrame, { type: 'progress' }>;

/** Client → server message types of DESIGN §4; anything else is answered with an error frame. */
const CLIENT_TYPES = new Set(['subscribe', 'unsubscribe', 'scan']);
export const INVALID = 'invalid';

/**
 * The WsAdapter dispatches `{event, data}`; our protocol is `{type, ...}`. This parser maps one to
 * the other and turns malformed frames into an `invalid` event so the client hears why.
 */
export function parseClientMessage(data: unknown): {
  event: string;
  data: Record<string, unknown>;
} {
  let message: unknown;
  try {
    message = JSON.parse(frameText(data));
  } catch {
    return { event: INVALID, data: { reason: 'frames must be JSON text' } };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { event: INVALID, data: { reason: 'a frame must be a JSON object with a "type"' } };
  }
  const { type, ...rest } = message as Record<string, unknown>;
  if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
    return {
      event: INVALID,
      data: {
        reason: `unknown type ${JSON.stringify(type)}; expected subscribe, unsubscribe or scan`,
      },
    };
  }
  return { event: type, data: rest };
}

/** ws hands over text frames as Buffer, ArrayBuffer or fragments, depending on its binaryType. */
function frameText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  throw new TypeError('unsupported frame data');
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client address of an upgrade request: the socket's, unless it is a loopback proxy (Nginx),
 * which overwrites X-Forwarded-For with the real client — the same trust rule as the HTTP side.
 */
export function clientIp(req: IncomingMessage, trustLoopbackProxy: boolean): string {
  const remote = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (
    trustLoopbackProxy &&
    LOOPBACK.test(remote) &&
    typeof forwarded === 'string' &&
    forwarded.trim()
  ) {
    return forwarded.split(',').pop()!.trim();
  }
  return remote;
}
