import type { ScanProgress } from '#jobs';
import type { AlertView } from '#redis';
import type { ScanDto } from './scans.dto.js';

/**
 * Server → client frames of DESIGN §4. `id` is the id of the client frame a frame answers (§9):
 * present when that frame carried one; progress frames answer no single frame and carry none.
 */
export type ServerFrame =
  | { type: 'accepted'; id?: string; scan: ScanDto }
  | ({ type: 'progress'; scanId: string } & ScanProgress)
  | { type: 'completed'; id?: string; scan: ScanDto }
  | { type: 'failed'; id?: string; scanId: string; error: string }
  | { type: 'error'; id?: string; message: string }
  /** An alert of one of the installation's watches (issue 17): answers no client frame. */
  | { type: 'alert'; alert: AlertView };

/** A frame that ends a scan for its subscribers (or tells them where to read it). */
export type TerminalFrame = Extract<ServerFrame, { type: 'completed' | 'failed' | 'error' }>;
export type ProgressFrame = Extract<ServerFrame, { type: 'progress' }>;
/** A frame that answers one client frame, and so echoes its id. */
export type AnswerFrame = Exclude<ServerFrame, ProgressFrame | { type: 'alert' }>;

/** Client → server message types of DESIGN §4; anything else is answered with an error frame. */
const CLIENT_TYPES = new Set(['subscribe', 'unsubscribe', 'scan']);
export const INVALID = 'invalid';

/**
 * A client frame's `id`: 1 to 64 printable ASCII characters, enough for a UUID or a counter with a
 * prefix, and short enough that echoing it costs nothing. Anything else is refused, not truncated:
 * an answer echoing a different id than was sent would be matched to the wrong request.
 */
export const MAX_ID_LENGTH = 64;
const CLIENT_ID = new RegExp(`^[\\x20-\\x7e]{1,${MAX_ID_LENGTH}}$`);

/** What a handler receives: the frame's members without `type`; `id` is checked already. */
export type ClientMessage = Record<string, unknown> & { id?: string };

/**
 * The WsAdapter dispatches `{event, data}`; our protocol is `{type, ...}`. This parser maps one to
 * the other and turns malformed frames into an `invalid` event so the client hears why (with the
 * frame's id when it had a usable one).
 */
export function parseClientMessage(data: unknown): { event: string; data: ClientMessage } {
  let message: unknown;
  try {
    message = JSON.parse(frameText(data));
  } catch {
    return invalid('frames must be JSON text');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalid('a frame must be a JSON object with a "type"');
  }
  const { type, ...rest } = message as Record<string, unknown>;
  if ('id' in rest && (typeof rest['id'] !== 'string' || !CLIENT_ID.test(rest['id'])))
    return invalid(`"id" must be a string of 1 to ${MAX_ID_LENGTH} printable ASCII characters`);
  const id = rest['id'] as string | undefined;
  if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
    return invalid(
      `unknown type ${JSON.stringify(type)}; expected subscribe, unsubscribe or scan`,
      id,
    );
  }
  return { event: type, data: rest };
}

const invalid = (reason: string, id?: string) => ({
  event: INVALID,
  data: id === undefined ? { reason } : { reason, id },
});

/** ws hands over text frames as Buffer, ArrayBuffer or fragments, depending on its binaryType. */
function frameText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  throw new TypeError('unsupported frame data');
}
