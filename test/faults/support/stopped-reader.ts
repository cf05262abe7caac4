import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

/**
 * WebSocket readers run as their own process so the fault suite can freeze them all with SIGSTOP.
 * The first of CONNECTIONS sockets starts SCANS scans; once all are accepted every other socket
 * subscribes to them too (again after a "subscribe again shortly" error, as a client would), and
 * once three seconds pass without such an error (the pool's acquire timeout is two) their ids are printed as one JSON line. From then on it only counts
 * what arrives, and prints the counts and exits once every socket has every terminal frame (or was
 * closed), or on SIGTERM.
 *
 *   node stopped-reader.js URL CA_FILE KEY CONNECTIONS SCANS ACCOUNT_BASE
 */
const [url, caFile, key, connections, scans, accountBase] = process.argv.slice(2);
const ca = readFileSync(caFile!);
const sockets = Array.from(
  { length: Number(connections) },
  () => new WebSocket(url!, { headers: { 'X-API-Key': key! }, ca }),
);
const ids: string[] = [];
const got = {
  progress: 0,
  completed: 0,
  failed: 0,
  bytes: 0,
  closed: 0,
  socketsWithEveryTerminal: 0,
  socketsClosedEarly: 0,
  errors: 0,
  firstError: '',
};
const terminals = new Map<WebSocket, number>();
let ready = false;
let lastRetryAt = Date.now();

const report = () => {
  process.stdout.write(`${JSON.stringify(got)}\n`);
  process.exit(0);
};
/** Every socket has a terminal frame for every scan, or was closed before it had them all. */
const settled = () => {
  if (ids.length < Number(scans)) return false;
  const full = sockets.filter((s) => terminals.get(s) === ids.length).length;
  const closedEarly = sockets.filter(
    (s) => terminals.get(s) !== ids.length && s.readyState === WebSocket.CLOSED,
  ).length;
  [got.socketsWithEveryTerminal, got.socketsClosedEarly] = [full, closedEarly];
  return full + closedEarly === sockets.length;
};

const opened = Promise.all(sockets.map((s) => new Promise((done) => s.once('open', done))));
for (const socket of sockets) {
  socket.on('message', (data: Buffer) => {
    got.bytes += data.length;
    const frame = JSON.parse(data.toString()) as { type: string; scan?: { id: string } };
    if (frame.type === 'progress') got.progress++;
    else if (frame.type === 'error') {
      const message = (frame as { message?: string }).message ?? '';
      const retry = /could not subscribe to (\S+) right now/.exec(message)?.[1];
      if (retry && !ready) {
        lastRetryAt = Date.now();
        setTimeout(() => socket.send(JSON.stringify({ type: 'subscribe', scanId: retry })), 500);
      } else {
        got.errors++;
        got.firstError ||= message;
      }
    } else if (frame.type === 'completed' || frame.type === 'failed') {
      got[frame.type]++;
      terminals.set(socket, (terminals.get(socket) ?? 0) + 1);
    }
    if (settled()) report();
    else if (frame.type === 'accepted' && socket === sockets[0]) {
      ids.push(frame.scan!.id);
      if (ids.length === Number(scans)) {
        // One socket's subscriptions every 100 ms, as clients arriving one after another would.
        sockets.slice(1).forEach((other, k) =>
          setTimeout(() => {
            for (const scanId of ids) other.send(JSON.stringify({ type: 'subscribe', scanId }));
            lastRetryAt = Date.now();
          }, 100 * k),
        );
        const quiet = setInterval(() => {
          if (Date.now() - lastRetryAt < 3000) return;
          clearInterval(quiet);
          ready = true;
          process.stdout.write(`${JSON.stringify({ ids })}\n`);
        }, 100);
      }
    }
  });
  socket.on('close', () => {
    got.closed++;
    if (settled()) report();
  });
  socket.on('error', () => {});
}
void opened.then(() => {
  for (let i = 0; i < Number(scans); i++)
    sockets[0]!.send(
      JSON.stringify({ type: 'scan', request: { accountSize: Number(accountBase) + i } }),
    );
});
process.on('SIGTERM', () => {
  settled();
  report();
});
