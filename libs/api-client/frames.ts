// The WebSocket protocol of /v1/ws (DESIGN §4 and §9, docs/asyncapi.yaml) as TypeScript types. The
// payloads are the generated REST schemas, so a Scan over the socket is the Scan of
// GET /v1/scans/{id}: one renamed or retyped field changes both, and the compiler says where.
import type { components } from './schema.js';

type Schemas = components['schemas'];

/** A scan resource: status, progress, and the result once completed. */
export type Scan = Schemas['Scan'];
/** One ranked symbol of a result (and of a progress frame's partial ranking). */
export type ScanHit = Schemas['ScanHit'];
/** The body of POST /v1/scans, and the `request` of a `scan` frame. */
export type CreateScan = Schemas['CreateScan'];
/** Where a running scan is: stage, percent, counts, ETA. */
export type ScanProgress = Schemas['ScanProgress'];
/** A change one of the installation's watches saw (GET /v1/alerts, and the `alert` frame). */
export type Alert = Schemas['Alert'];
/** An RFC 9457 problem, the body of every error status. */
export type Problem = Schemas['Problem'];

/**
 * `id` on a client frame is the caller's own correlation id (1 to 64 printable ASCII characters;
 * anything else is refused with an `error` frame): every answer to that frame — `accepted`, the
 * `completed`/`failed` of its subscription, an `error` — echoes it. Progress frames answer no single
 * frame and carry none.
 */
interface Correlated {
  id?: string;
}

/** Client → server. */
export type ClientFrame =
  /** Start a scan (same body as POST /v1/scans) and subscribe to it. */
  | ({ type: 'scan'; request: CreateScan } & Correlated)
  /** Follow a scan by id; a finished scan answers `completed` at once. */
  | ({ type: 'subscribe'; scanId: string } & Correlated)
  | ({ type: 'unsubscribe'; scanId: string } & Correlated);

/** Server → client. */
export type ServerFrame =
  | ({ type: 'accepted'; scan: Scan } & Correlated)
  /** Percent never decreases and stages only move forward within one scan. */
  | ({ type: 'progress'; scanId: string; partial: ScanHit[] } & ScanProgress)
  | ({ type: 'completed'; scan: Scan } & Correlated)
  | ({ type: 'failed'; scanId: string; error: string } & Correlated)
  | ({ type: 'error'; message: string } & Correlated)
  /** An alert of the installation's watches (sockets opened with an installation token only). */
  | { type: 'alert'; alert: Alert };

export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<K extends ServerFrameType> = Extract<ServerFrame, { type: K }>;

const SERVER_TYPES: ReadonlySet<string> = new Set<ServerFrameType>([
  'accepted',
  'progress',
  'completed',
  'failed',
  'error',
  'alert',
]);

/**
 * Reads one text frame from the server. Throws on anything that is not a JSON object with a known
 * `type`; the fields are trusted as the server's contract (docs/asyncapi.yaml), not re-validated.
 */
export function parseServerFrame(text: string): ServerFrame {
  const frame: unknown = JSON.parse(text);
  if (
    typeof frame !== 'object' ||
    frame === null ||
    !SERVER_TYPES.has(String((frame as { type?: unknown }).type))
  ) {
    throw new TypeError(`not a server frame: ${text.slice(0, 200)}`);
  }
  return frame as ServerFrame;
}

/** The JSON text of a client frame, typed so a misspelled field does not compile. */
export const clientFrameText = (frame: ClientFrame): string => JSON.stringify(frame);
