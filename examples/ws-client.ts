// Starts a scan over the WebSocket and prints one line per progress frame, then the top 10.
//
//   npm run build && node dist/examples/ws-client.js --key <API key> [--url ws://127.0.0.1:3000/v1/ws]
//        [--request '{"sectors":["technology"]}'] [--ca path/to/ca.pem]
//
// The key can also come from MARKET_SCANNER_KEY, the URL from MARKET_SCANNER_WS_URL.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

interface Hit {
  rank: number;
  symbol: string;
  name: string;
  signal: string;
  techRating: number;
  /** null for Avoid: a neutral rating gives no side to trade. */
  plan: {
    side: 'long' | 'short';
    entry: number;
    stop: number;
    target: number;
    shares: number;
  } | null;
}

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

const socket = new WebSocket(values.url!, {
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

const top = (hits: Hit[], n: number) =>
  hits
    .slice(0, n)
    .map((h) => `${h.symbol} ${h.techRating.toFixed(1)}`)
    .join(', ');

socket.on('unexpected-response', (_req, res) =>
  fail(`server refused the upgrade: HTTP ${res.statusCode}`),
);
socket.on('error', (error) => fail(error.message));
socket.on('open', () =>
  socket.send(JSON.stringify({ type: 'scan', request: JSON.parse(values.request!) })),
);
socket.on('message', (data) => {
  const frame = JSON.parse(data.toString()) as Record<string, any>;
  switch (frame['type']) {
    case 'accepted':
      process.stdout.write(
        `accepted  scan ${frame['scan'].id}  status ${frame['scan'].status}${frame['scan'].cached ? ' (cached)' : ''}\n`,
      );
      break;
    case 'progress':
      process.stdout.write(
        `progress  ${String(frame['percent']).padStart(5)}%  ${String(frame['stage']).padEnd(10)} ` +
          `${frame['symbolsScanned']}/${frame['universeSize']}  eta ${frame['etaSeconds'] ?? '?'} s  top: ${top(frame['partial'] ?? [], 3)}\n`,
      );
      break;
    case 'completed': {
      const result = frame['scan'].result;
      process.stdout.write(
        `completed  ${result.statusText}  (${result.metrics.totalMs} ms in the worker)\n`,
      );
      for (const h of (result.results as Hit[]).slice(0, 10)) {
        const plan = h.plan
          ? `${h.plan.side} entry ${h.plan.entry}  stop ${h.plan.stop}  target ${h.plan.target}  shares ${h.plan.shares}`
          : 'no plan';
        process.stdout.write(
          `  ${String(h.rank).padStart(2)}. ${h.symbol.padEnd(6)} ${h.techRating.toFixed(1).padStart(5)}  ${h.signal.padEnd(12)} ` +
            `${plan}  ${h.name}\n`,
        );
      }
      clearTimeout(timer);
      socket.close();
      break;
    }
    case 'failed':
      fail(`scan failed: ${frame['error']}`);
      break;
    case 'error':
      fail(String(frame['message']));
  }
});
socket.on('close', () => process.exit(0));
