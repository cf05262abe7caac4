/**
 * The typed client of the Market Scanner API, generated from docs/openapi.json: REST through
 * openapi-fetch, the WebSocket's frames as types over the same schemas. No Nest, no database: it is
 * what a TypeScript consumer (our examples, tooling) imports.
 */
export type { components, operations, paths } from './schema.js';
export {
  createScannerClient,
  retryAfterSeconds,
  webSocketUrl,
  type ScannerClient,
  type ScannerClientOptions,
} from './client.js';
export {
  clientFrameText,
  type Alert,
  parseServerFrame,
  type ClientFrame,
  type CreateScan,
  type Problem,
  type Scan,
  type ScanHit,
  type ScanProgress,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
} from './frames.js';
