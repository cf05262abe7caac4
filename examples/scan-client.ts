// What an app does, with the client generated from docs/openapi.json: create a scan over REST, then
// follow it over the WebSocket, printing the ranking as it fills in, then the final ranking.
//
//   npm run build && MARKET_SCANNER_KEY=<key> node dist/examples/scan-client.js ['{"maxSymbols":10}']
//
// Environment: MARKET_SCANNER_KEY (required: a key or installation token with scope `scan`),
// MARKET_SCANNER_URL (default http://127.0.0.1:3000; https://… behind Nginx, with
// NODE_EXTRA_CA_CERTS=ca.pem for a self-signed certificate), MARKET_SCANNER_TIMEOUT (s, default 60).
// The optional argument is the POST /v1/scans body. It registers nothing (no installation, no key):
// it only spends the scan budget of the credential it is given.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import {
  clientFrameText,
  createScannerClient,
  parseServerFrame,
  retryAfterSeconds,
  webSocketUrl,
  type CreateScan,
  type Scan,
} from '#api-client';
import { printProgress, printResult } from './print.js';

const baseUrl = process.env['MARKET_SCANNER_URL'] ?? 'http://127.0.0.1:3000';
const apiKey = process.env['MARKET_SCANNER_KEY'];
const timeoutSeconds = Number(process.env['MARKET_SCANNER_TIMEOUT'] ?? 60);
/** A request that returns a useful ranking on the default data: the balanced profile's top 10. */
const request = JSON.parse(process.argv[2] ?? '{"maxSymbols":10}') as CreateScan;
/** How often a 429/503 is retried (after its Retry-After) and a dropped socket reopened. */
const ATTEMPTS = 3;
const TOP = 10;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

if (!apiKey) {
  process.stderr.write(
    'usage: MARKET_SCANNER_KEY=<key> node dist/examples/scan-client.js [JSON]\n',
  );
  process.exit(2);
}
setTimeout(() => fail(`no result within ${timeoutSeconds} s`), timeoutSeconds * 1000).unref();

const api = createScannerClient({ baseUrl, apiKey });

/** POST /v1/scans, waiting out 429 (the credential's budget) and 503 (queue backlog) as told. */
async function createScan(): Promise<Scan> {
  for (let attempt = 1; ; attempt++) {
    const { data, error, response } = await api.POST('/v1/scans', { body: request });
    if (data) return data;
    const busy = response.status === 429 || response.status === 503;
    if (!busy || attempt === ATTEMPTS) fail(`${error.status} ${error.title}: ${error.detail}`);
    const seconds = retryAfterSeconds(response);
    process.stdout.write(`busy (${response.status}), retrying in ${seconds} s\n`);
    await sleep(seconds * 1000);
  }
}

/** GET /v1/scans/{id}: the full state, the source of truth after any reconnect. */
async function readScan(id: string): Promise<Scan> {
  const { data, error } = await api.GET('/v1/scans/{id}', { params: { path: { id } } });
  if (!data) fail(`${error.status} ${error.title}: ${error.detail}`);
  return data;
}

function finish(scan: Scan): never {
  if (scan.status === 'failed') fail(`scan failed: ${scan.error ?? 'unknown error'}`);
  printResult(scan, TOP);
  process.exit(0);
}

/**
 * Follows the scan over one socket until it ends; resolves when the socket closes first (network
 * drop, server restart) so the caller rebuilds from REST and reconnects.
 */
function follow(scanId: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(webSocketUrl(baseUrl), { headers: { 'X-API-Key': apiKey } });
    socket.on('unexpected-response', (_req, res) => {
      process.stdout.write(`socket refused: HTTP ${res.statusCode}\n`);
      socket.terminate();
    });
    // The 'close' after an error is what resolves: the reason is printed, the caller decides.
    socket.on('error', (error) => process.stdout.write(`socket error: ${error.message}\n`));
    socket.on('close', () => resolve());
    socket.on('open', () =>
      socket.send(clientFrameText({ type: 'subscribe', scanId, id: `follow-${scanId}` })),
    );
    socket.on('message', (data) => {
      const frame = parseServerFrame(data.toString());
      switch (frame.type) {
        case 'progress':
          printProgress(frame, 5);
          break;
        case 'completed':
          finish(frame.scan);
          break;
        case 'failed':
          fail(`scan failed: ${frame.error}`);
          break;
        case 'error':
          fail(`the server refused the subscription: ${frame.message}`);
          break;
        case 'accepted':
          break;
      }
    });
  });
}

const created = await createScan();
process.stdout.write(`scan ${created.id} ${created.status}${created.cached ? ' (cached)' : ''}\n`);
if (created.status === 'completed' || created.status === 'failed') finish(created);

for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
  await follow(created.id);
  // The socket closed before the end: what happened meanwhile is in the Scan, not in lost frames.
  const scan = await readScan(created.id);
  if (scan.status === 'completed' || scan.status === 'failed') finish(scan);
  process.stdout.write(`reconnecting (${scan.status}, ${scan.progress.percent} %)\n`);
  await sleep(attempt * 500);
}
fail(`lost the stream ${ATTEMPTS} times`);
