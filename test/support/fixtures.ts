import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { testConfig, waitFor, type RunningApp } from './e2e.js';

/**
 * Shared arrange/cleanup steps for the e2e specs. Specs create items only with `ZZ` symbols and
 * keys only with names starting `e2e`, so cleanup never touches the imported data.
 */
export const IMPORTED_ITEMS = 505;
export const IMPORTED_BARS = 619_031;

/** An empty scan body, normalized: every key present, the documented defaults (ScanRequest). */
export const DEFAULT_SCAN_REQUEST = Object.freeze({
  sectors: null,
  symbols: null,
  maxSymbols: 25,
  minTechRating: 55,
  profile: 'balanced',
  direction: 'long',
  asOf: null,
  asOfRequested: null,
  accountSize: 10000,
  riskPct: 1,
  targetRR: 2,
});

/** Deletes every key matching `pattern` in the Redis db of `redisUrl` (SCAN, not KEYS: never blocks Redis). */
async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    // Inside the try: a refused connect still disconnects, or the client would retry for ever.
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Deletes every rate-limit counter in the test Redis db, so one file's budget never leaks into the next. */
export const flushRateLimits = (redisUrl = testConfig().redisUrl): Promise<void> =>
  deleteKeys(redisUrl, 'ratelimit:*');

/** Deletes every cached scan in the test Redis db: the next identical request is computed, or read from PostgreSQL. */
export const flushScanCache = (redisUrl = testConfig().redisUrl): Promise<void> =>
  deleteKeys(redisUrl, 'scan:cache:*');

/** Removes what specs create: `ZZ` items and `e2e` keys. Imported items and bars stay. */
export async function removeTestRows(ds: DataSource): Promise<void> {
  await ds.query(`DELETE FROM items WHERE symbol LIKE 'ZZ%'`);
  await ds.query(`DELETE FROM api_keys WHERE name LIKE 'e2e%'`);
}

/** A valid item body for POST /v1/items. */
export const newItem = (symbol: string, extra: Record<string, unknown> = {}) => ({
  symbol,
  name: `${symbol} Test Corp`,
  sector: 'Utilities',
  ...extra,
});

export interface StopOutcome {
  exited: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

/** Sends `signal` and waits up to `ms` for the process to exit; if it does not, kills it so no process outlives the spec. */
export async function stopWithin(
  app: RunningApp,
  ms: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<StopOutcome> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    app.stop(signal).then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
  ]);
  clearTimeout(timer);
  const elapsed = Date.now() - started;
  if (outcome === 'timeout') {
    app.process.kill('SIGKILL');
    await waitFor(
      () => app.process.exitCode !== null || app.process.signalCode !== null,
      5000,
      'the killed process to exit',
    );
  }
  return {
    exited: outcome === 'exited',
    code: app.process.exitCode,
    signal: app.process.signalCode,
    ms: elapsed,
  };
}
