import WebSocket from 'ws';
import { headBytes, pollutedPath, requestViolations } from './checks.js';
import { authParts, headerObject, withScanIds, type FuzzTarget } from './http.js';
import { CLIENT_TYPES, type WsSession } from './ws-sessions.js';

/**
 * Plays a WebSocket fuzz session (ws-sessions.ts) over a real `ws` client: the handshake, then each
 * frame followed by a ping whose pong proves the socket survived it. Binary frames are decoded as
 * UTF-8 by the gateway (ws-protocol.ts frameText), so a binary frame holding a JSON message is
 * handled like a text frame. Two protocol-level refusals are expected and checked by their close
 * codes (RFC 6455 §7.4.1): a text frame that is not UTF-8 → 1007, a frame over the gateway's 64 KiB
 * maxPayload → 1009.
 */

const SERVER_TYPES = new Set(['accepted', 'progress', 'completed', 'failed', 'error']);
/** Styles the handshake accepts a key in: the HTTP ones plus `?apiKey=` (browsers). */
const WS_STYLES = new Set(['x-api-key', 'bearer', 'bearer-lower', 'padded', 'both', 'query']);
/** Valid keys; only those with the `scan` scope may open the socket (others: 403). */
const VALID_KEYS = new Set(['admin', 'read', 'scan', 'predict']);
const WS_KEYS = new Set(['admin', 'scan']);

/** What the gateway's parser (ws-protocol.ts) turns into an error frame: not JSON, not an object, unknown type. */
function isInvalidMessage(text: string): boolean {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return true;
  return !CLIENT_TYPES.includes((m as { type?: unknown }).type as string);
}

const isScanMessage = (text: string): boolean =>
  !isInvalidMessage(text) && (JSON.parse(text) as { type: string }).type === 'scan';

function until(check: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = () =>
      check() ? resolve(true) : Date.now() - started > ms ? resolve(false) : setTimeout(tick, 10);
    tick();
  });
}

/** Runs one session; returns how many cases it was (frames sent, or 1 for a refused handshake) and every violation seen. */
export async function runWsSession(
  s: WsSession,
  target: FuzzTarget,
): Promise<{ cases: number; refused: boolean; problems: string[] }> {
  const parts = authParts(s.auth, target);
  const query = [s.query, parts.query].filter(Boolean).join('&');
  const socket = new WebSocket(`ws://${target.url.host}/v1/ws${query ? `?${query}` : ''}`, {
    headers: headerObject(parts.headers),
    handshakeTimeout: 10_000,
  });
  const problems: string[] = [];
  const seen = { error: 0, accepted: 0, pongs: 0, closed: null as number | null };
  socket.on('message', (data, isBinary) => {
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(data.toString()) as Record<string, unknown>;
    } catch {
      return problems.push(`non-JSON frame ${JSON.stringify(data.toString().slice(0, 100))}`);
    }
    if (isBinary) problems.push('a binary frame from the server');
    if (!SERVER_TYPES.has(f['type'] as string))
      problems.push(`frame of unknown type ${JSON.stringify(f['type'])}`);
    if (f['type'] === 'error' && typeof f['message'] !== 'string')
      problems.push('an error frame without a message');
    const polluted = pollutedPath(f);
    if (polluted) problems.push(`frame carries injected key ${polluted}`);
    const request = (f['scan'] as { request?: Record<string, unknown> } | undefined)?.request;
    if (request) problems.push(...requestViolations(request));
    if (f['type'] === 'error') seen.error++;
    if (f['type'] === 'accepted') seen.accepted++;
  });
  socket.on('pong', () => seen.pongs++);
  socket.on('close', (code) => (seen.closed = code));
  socket.on('error', () => {});

  const handshake = await new Promise<
    { status: number; type: string; body: string } | 'open' | Error
  >((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (e) => resolve(e));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body,
        }),
      );
    });
  });
  const usable = WS_STYLES.has(s.auth.style) && WS_KEYS.has(s.auth.key);
  if (handshake !== 'open') {
    socket.terminate();
    if (handshake instanceof Error)
      return { cases: 1, refused: true, problems: [`handshake failed: ${handshake.message}`] };
    // A head over Node's 16 KiB limit is refused before the gateway sees it.
    const refusal = WS_STYLES.has(s.auth.style) && VALID_KEYS.has(s.auth.key) ? 403 : 401;
    const expected =
      headBytes(s) > 16_000 ? [431] : headBytes(s) > 8000 ? [refusal, 431] : [refusal];
    if (usable && handshake.status !== 431)
      problems.push(`handshake refused with ${handshake.status} for a usable key`);
    if (!expected.includes(handshake.status))
      problems.push(`handshake answered ${handshake.status}, expected ${expected.join(' or ')}`);
    if (!handshake.type.startsWith('application/problem+json'))
      problems.push(`handshake ${handshake.status} with content-type "${handshake.type}"`);
    return { cases: 1, refused: true, problems };
  }
  if (!usable) problems.push('handshake accepted without a usable key');

  let expectedAnswers = 0;
  let cases = 0;
  for (const f of s.frames) {
    const text =
      f.kind === 'bytes' ? Buffer.from(f.bytes).toString('utf8') : withScanIds(f.text, target);
    socket.send(
      f.kind === 'bytes' ? Buffer.from(f.bytes) : f.kind === 'binary' ? Buffer.from(text) : text,
      {
        binary: f.kind !== 'text',
      },
    );
    cases++;
    if (isInvalidMessage(text) || isScanMessage(text)) expectedAnswers++;
    const pongs = seen.pongs;
    socket.ping();
    if (!(await until(() => seen.pongs > pongs || seen.closed !== null, 10_000)))
      problems.push('no pong within 10 s');
    if (seen.closed !== null)
      return {
        cases,
        refused: false,
        problems: [
          ...problems,
          `server closed the socket with ${seen.closed} after frame ${cases}`,
        ],
      };
  }
  // Every invalid frame gets an error frame, every scan message an accepted or error frame.
  if (!(await until(() => seen.error + seen.accepted >= expectedAnswers, 10_000))) {
    problems.push(
      `${seen.error + seen.accepted} answers to ${expectedAnswers} frames that each need one`,
    );
  }
  if (s.closer) {
    const expected = s.closer.kind === 'invalid-utf8' ? 1007 : 1009;
    socket.send(
      s.closer.kind === 'invalid-utf8'
        ? Buffer.from(s.closer.bytes)
        : Buffer.alloc(s.closer.size, 0x61),
      {
        binary: s.closer.kind === 'oversize',
      },
    );
    cases++;
    if (!(await until(() => seen.closed !== null, 10_000)))
      problems.push(`socket still open after a frame that must close it with ${expected}`);
    else if (seen.closed !== expected)
      problems.push(`closed with ${seen.closed}, expected ${expected}`);
  } else {
    socket.close(1000);
    if (!(await until(() => seen.closed !== null, 5000))) socket.terminate();
  }
  return { cases, refused: false, problems };
}
