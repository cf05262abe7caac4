import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

/**
 * WebSocket readers run as their own process so the fault suite can freeze them all with SIGSTOP.
 * The first of CONNECTIONS sockets starts SCANS scans; once all are accepted every other socket
 * subscribes to them too, and their ids are printed as one JSON line. From then on it only counts
 * what arrives. On SIGTERM it prints the counts and exits.
 *
 *   node stopped-reader.js URL CA_FILE KEY CONNECTIONS SCANS ACCOUNT_BASE
 */
const [url, caFile, key, connections, scans, accountBase] = process.argv.slice(2);
const ca = readFileSync(caFile!);
const sockets = Array.from({ length: Number(connections) }, () => new WebSocket(url!, { headers: { 'X-API-Key': key! }, ca }));
const ids: string[] = [];
const got = { progress: 0, completed: 0, failed: 0, bytes: 0, closed: 0 };

const opened = Promise.all(sockets.map((s) => new Promise((done) => s.once('open', done))));
for (const socket of sockets) {
  socket.on('message', (data: Buffer) => {
    got.bytes += data.length;
    const frame = JSON.parse(data.toString()) as { type: string; scan?: { id: string } };
    if (frame.type === 'progress') got.progress++;
    else if (frame.type === 'completed') got.completed++;
    else if (frame.type === 'failed') got.failed++;
    else if (frame.type === 'accepted' && socket === sockets[0]) {
      ids.push(frame.scan!.id);
      if (ids.length === Number(scans)) {
        for (const other of sockets.slice(1)) for (const scanId of ids) other.send(JSON.stringify({ type: 'subscribe', scanId }));
        process.stdout.write(`${JSON.stringify({ ids })}\n`);
      }
    }
  });
  socket.on('close', () => got.closed++);
  socket.on('error', () => {});
}
void opened.then(() => {
  for (let i = 0; i < Number(scans); i++)
    sockets[0]!.send(JSON.stringify({ type: 'scan', request: { accountSize: Number(accountBase) + i } }));
});
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify(got)}\n`);
  process.exit(0);
});
