import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import WebSocket from 'ws';
import { assertTestDatabase } from '#database';
import { QUEUES } from '#jobs';
import { ensureSynthDatabase, withClient, withDatabase } from '../../support/databases.js';
import { testConfig, waitFor } from '../../support/e2e.js';
import { flushRateLimits } from '../../support/fixtures.js';
import { TcpRelay } from '../../support/tcp-relay.js';
import {
  hostDown,
  hostUp,
  https,
  HTTPS_PORT,
  programs,
  type Reply,
} from '../../ops/support/host.js';
import { RedisServer } from './redis-server.js';

/** Limits the fault tests hit on purpose; everything else is raised out of their way. */
export const LIMITS = { itemsWrite: 5, wsConnect: 40 } as const;
export const SYMBOLS = 10_000;
const DB = 'scanner_synth10k_test';
const REDIS_PORT = 6391;

/**
 * The production topology (`npm run host:up`: Supervisor with 2 api + 2 worker processes behind
 * Nginx with TLS) wired so that faults can be injected from outside: its Redis is a server of this
 * suite's own (crashed and restarted at will), its PostgreSQL is reached through a TCP relay (cut
 * to take the database away), and it runs on the 10,000-symbol synthetic universe, so a scan lasts
 * long enough to be hit in the middle.
 */
export class FaultStack {
  readonly redis = new RedisServer(REDIS_PORT, resolve('.local/faults/redis'));
  readonly pg: TcpRelay;
  readonly dbUrl: string;
  key = '';
  ca: Buffer = Buffer.alloc(0);
  queue!: Queue;
  /**
   * Every client this process opened on the suite's Redis. One left open keeps reconnecting to a
   * port nobody answers once the suite stopped that Redis, and with it the process alive: the run
   * would hang instead of reporting. down() closes them all, whatever a test left behind.
   */
  private readonly redisClients = new Set<Queue | QueueEvents>();

  constructor() {
    const real = new URL(testConfig().databaseUrl);
    this.pg = new TcpRelay({ host: real.hostname, port: Number(real.port || 5432) });
    this.dbUrl = withDatabase(real.toString(), DB);
  }

  async up(): Promise<void> {
    assertTestDatabase(this.dbUrl);
    await ensureSynthDatabase(testConfig().databaseUrl, DB, SYMBOLS);
    await this.sql('DELETE FROM scan_runs');
    await this.redis.reset();
    await this.redis.start();
    await this.pg.open();
    ({ key: this.key, ca: this.ca } = await hostUp({
      DATABASE_URL: this.pg.via(this.dbUrl),
      REDIS_URL: this.redis.url,
      RATE_LIMIT_ITEMS_WRITE: String(LIMITS.itemsWrite),
      RATE_LIMIT_WS_CONNECT: String(LIMITS.wsConnect),
      // The connect limit is the one under test; the per-process cap on open sockets is raised past it.
      WS_MAX_CONNECTIONS_PER_IP: '100',
      RATE_LIMIT_ITEMS_READ: '1000000',
      RATE_LIMIT_SCANS_CREATE: '1000000',
      // One key stands for many clients here (200 waiting scans, scans under stress-ng).
      SCANS_IN_FLIGHT_PER_CREDENTIAL: '1000000',
      // Stopped readers subscribe to 64 scans at once, past one socket's frame burst (40).
      WS_FRAMES_PER_SECOND: '10000',
      RATE_LIMIT_SCANS_READ: '1000000',
      // Nginx's per-address backstop would answer the floods before the app's limits could: 400
      // upgrades at once are the app's to refuse, and a ready poll (every 50 ms) must read the app's
      // state, never Nginx's 429. The ops suite checks those limits at their production values.
      NGINX_RATE_PER_SECOND: '5000',
      NGINX_RATE_BURST: '10000',
      NGINX_READY_RATE_PER_SECOND: '5000',
      NGINX_READY_BURST: '10000',
      NGINX_CONNECTIONS_PER_ADDRESS: '10000',
      HEALTH_CHECK_TIMEOUT_MS: '1500',
    }));
    this.queue = this.tracked(
      new Queue(QUEUES.scan, {
        connection: { host: '127.0.0.1', port: REDIS_PORT, maxRetriesPerRequest: null },
      }),
    );
  }

  /**
   * Stops everything up() started, each step even when an earlier one failed (a step skipped would
   * leave a server or a client holding the process open); the first failure is thrown at the end.
   */
  async down(): Promise<void> {
    const failures: unknown[] = [];
    const step = (work: () => Promise<unknown>) =>
      work().catch((error: unknown) => void failures.push(error));
    await step(() => Promise.all([...this.redisClients].map(release)));
    await step(() => hostDown());
    if (!this.pg.isOpen) await this.pg.open().catch(() => {});
    await this.sql(`DELETE FROM api_keys WHERE name = 'host'`).catch(() => {});
    await this.sql('DELETE FROM scan_runs').catch(() => {});
    await step(() => this.pg.cut());
    await step(() => this.redis.stop('shutdown'));
    if (failures.length > 0) throw failures[0];
  }

  /** The scan queue's events, read from this stack's Redis (what every api process hears). */
  async queueEvents(): Promise<QueueEvents> {
    const events = this.tracked(
      new QueueEvents(QUEUES.scan, { connection: { host: '127.0.0.1', port: REDIS_PORT } }),
    );
    await events.waitUntilReady();
    return events;
  }

  private tracked<T extends Queue | QueueEvents>(client: T): T {
    this.redisClients.add(client);
    // The suite takes Redis away on purpose: connection errors are expected, not failures.
    (client as EventEmitter).on('error', () => {});
    return client;
  }

  /** Straight to PostgreSQL, not through the relay: the suite's own view stays up during outages. */
  sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.dbUrl, async (c) => (await c.query(text, params)).rows as T[]);
  }

  /** HTTPS through Nginx with this stack's key (or `key`). */
  call(
    path: string,
    opts: { method?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    return https(path, {
      ca: this.ca,
      method: opts.method,
      body,
      headers: {
        'X-API-Key': opts.key ?? this.key,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...opts.headers,
      },
    });
  }

  /** A WebSocket through Nginx with TLS. */
  socket(headers: Record<string, string> = {}): WebSocket {
    return new WebSocket(`wss://localhost:${HTTPS_PORT}/v1/ws`, {
      headers: { 'X-API-Key': this.key, ...headers },
      ca: this.ca,
    });
  }

  /** `{name → pid}` of the programs Supervisor runs now (`api:api-1`, `worker:worker-2`, …). */
  async pids(prefix: 'api' | 'worker'): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const [name, p] of await programs())
      if (name.startsWith(`${prefix}:`) && p.state === 'RUNNING' && p.pid) found.set(name, p.pid);
    return found;
  }

  async flushRateLimits(): Promise<void> {
    await flushRateLimits(this.redis.url);
  }

  /** Waits until every scan in `ids` is completed or failed in PostgreSQL; returns their rows. */
  async finished(
    ids: string[],
    timeoutMs: number,
  ): Promise<{ id: string; status: string; attempts: number }[]> {
    let rows: { id: string; status: string; attempts: number }[] = [];
    await waitFor(
      async () => {
        rows = await this.sql(
          `SELECT id::text, status, attempts FROM scan_runs WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        return (
          rows.length === ids.length &&
          rows.every((r) => r.status === 'completed' || r.status === 'failed')
        );
      },
      timeoutMs,
      `${ids.length} scans to finish (${rows.filter((r) => r.status === 'completed').length} completed so far)`,
    );
    return rows;
  }

  /** Result rows per scan, with how many distinct symbols and ranks: a duplicated run shows here. */
  async resultSets(
    ids: string[],
  ): Promise<{ id: string; n: number; symbols: number; ranks: number }[]> {
    return this.sql(
      `SELECT r.id::text, count(s.*)::int AS n, count(DISTINCT s.symbol)::int AS symbols, count(DISTINCT s.rank)::int AS ranks
         FROM scan_runs r LEFT JOIN scan_results s ON s.scan_run_id = r.id WHERE r.id = ANY($1::uuid[]) GROUP BY r.id`,
      [ids],
    );
  }
}

/**
 * Closes a BullMQ client, or drops its connection when closing has not finished within 5 s: with
 * Redis gone, QUIT waits behind the commands queued for a reconnect that never comes.
 */
async function release(client: Queue | QueueEvents): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    client.close().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
  ]);
  clearTimeout(timer);
  if (!closed) await client.disconnect().catch(() => {});
}

/** Resident memory of a process in MiB (from /proc). */
export function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scan request no earlier run made (so it is computed, not answered from the cache). */
let fresh = 0;
export const uniqueScan = (extra: Record<string, unknown> = {}) => ({
  accountSize: 20_000 + ++fresh,
  ...extra,
});
