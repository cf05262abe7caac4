/**
 * A trace collector stand-in for the benches: accepts OTLP/HTTP exports on loopback and discards
 * them, counting what arrived. What a traced app pays — spans, batching, encoding, the export
 * request — is then measured without a real collector competing for the machine's cores.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  endpoint: string;
  /** Export requests and their bytes received so far. */
  received: () => { exports: number; bytes: number };
  stop: () => Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      // An empty ExportTraceServiceResponse: the same bytes in protobuf and JSON ({} omitted).
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => ({ exports, bytes }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The environment of a traced app in the benches: OTLP over http/protobuf (the SDK's default
 * protocol) to `sink`, every other setting the SDK's and the apps' defaults — sampling included
 * (parentbased_always_on: every request is traced).
 */
export const tracedEnv = (sink: OtlpSink): Record<string, string> => ({
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
});
