// Starts a scan over the WebSocket alone and prints one line per progress frame, then the top 10.
// (examples/scan-client.ts does the same through REST first, as an app should.)
//
//   npm run build && node dist/examples/ws-client.js --key <API key> [--url ws://127.0.0.1:3000/v1/ws]
//        [--request '{"sectors":["technology"]}'] [--ca path/to/ca.pem]
//
// The key can also come from MARKET_SCANNER_KEY, the URL from MARKET_SCANNER_WS_URL.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { clientFrameText, parseServerFrame, type CreateScan } from '#api-client';
import { printProgress, printResult } from './print.js';

const { values } = parseArgs({
  options: {
    url: {
      type: 'string',
      default: process.env['MARKET_SCANNER_WS_URL'] ?? 'ws://127.0.0.1:3000/v1/ws',
    },
    key: { type: 'string', default: process.env['MARKET_SCANNER_KEY'] },
    request: { type: 'string', default: '{}' },
    ca: { type: 'string' },
    timeout: { type: 'string', default: '60' },
  },
});
if (!values.key) {
  process.stderr.write(
    'usage: ws-client --key <API key> [--url ws://host/v1/ws] [--request JSON] [--ca ca.pem]\n',
  );
  process.exit(2);
}

const socket = new WebSocket(values.url, {
  headers: { 'X-API-Key': values.key },
  ca: values.ca ? readFileSync(values.ca) : undefined,
});
const timer = setTimeout(
  () => fail(`no result within ${values.timeout} s`),
  Number(values.timeout) * 1000,
);

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

socket.on('unexpected-response', (_req, res) =>
  fail(`server refused the upgrade: HTTP ${res.statusCode}`),
);
socket.on('error', (error) => fail(error.message));
socket.on('open', () => {
  // The request is the caller's JSON, passed on as the body of POST /v1/scans would be.
  const request = JSON.parse(values.request) as CreateScan;
  socket.send(clientFrameText({ type: 'scan', request, id: 'ws-client' }));
});
socket.on('message', (data) => {
  const frame = parseServerFrame(data.toString());
  switch (frame.type) {
    case 'accepted':
      process.stdout.write(
        `accepted  scan ${frame.scan.id}  status ${frame.scan.status}${frame.scan.cached ? ' (cached)' : ''}\n`,
      );
      break;
    case 'progress':
      printProgress(frame);
      break;
    case 'completed':
      printResult(frame.scan, 10);
      clearTimeout(timer);
      socket.close();
      break;
    case 'failed':
      fail(`scan failed: ${frame.error}`);
      break;
    case 'error':
      fail(frame.message);
  }
});
socket.on('close', () => process.exit(0));
