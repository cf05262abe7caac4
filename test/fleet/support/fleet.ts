import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { bullConnection, QUEUES } from '#jobs';
import { ROOT } from '../../../src/bootstrap/host/layout.mjs';
import { cli, withClient } from '../../support/databases.js';
import { waitFor } from '../../support/e2e.js';
import { openSocket, type FrameLog } from '../../support/ws.js';
import { AppHost } from './app-host.js';
import { DataHost } from './data-host.js';
import { EdgeHost } from './edge-host.js';
import { createFleetNetwork, removeFleetNetwork, type HostSpec } from './network.js';

/** Where every host keeps its files: the runner and the hosts share this machine's filesystem. */
export const FLEET_DIR = join(ROOT, '.local/fleet');

/** The limits the fleet's tests run into on purpose are per-key overrides; the rest is out of the way. */
const SHARED_TUNING = {
  RATE_LIMIT_ITEMS_READ: '1000000',
  RATE_LIMIT_SCANS_CREATE: '1000000',
  RATE_LIMIT_SCANS_READ: '1000000',
  SCANS_IN_FLIGHT_PER_CREDENTIAL: '1000000',
  HEALTH_CHECK_TIMEOUT_MS: '1500',
};

export interface ScanBody {
  [field: string]: unknown;
}

/**
 * Six hosts on one machine (test/fleet/support/network.ts): a data host (PostgreSQL, Redis with a
 * password), an edge host (Nginx with TLS), two api hosts and two worker hosts, each in its own
 * network namespace with its own address and hostname, the app hosts run by supervisord.conf and
 * deploy/deploy.sh as an EC2 host is. `up()` cleans a stale fleet first; `down()` leaves nothing
 * behind (PostgreSQL's files excepted: the synthetic import is kept for the next run).
 */
export class Fleet {
  readonly data = new DataHost('10.77.0.2', FLEET_DIR);
  readonly edge = new EdgeHost('10.77.0.3', join(FLEET_DIR, 'edge'));
  readonly apis: AppHost[];
  readonly workers: AppHost[];
  key = '';
  queue!: Queue;

  constructor() {
    const shared = {
      DATABASE_URL: this.data.databaseUrl,
      REDIS_URL: this.data.redisUrl,
      REDIS_TLS_CA_FILE: this.data.caFile,
      ...SHARED_TUNING,
    };
    const host = (name: string, address: string, role: 'api' | 'worker') =>
      new AppHost(name, address, role, 1, FLEET_DIR, shared);
    this.apis = [host('api-a', '10.77.0.11', 'api'), host('api-b', '10.77.0.12', 'api')];
    this.workers = [
      host('worker-a', '10.77.0.21', 'worker'),
      host('worker-b', '10.77.0.22', 'worker'),
    ];
  }

  get appHosts(): AppHost[] {
    return [...this.apis, ...this.workers];
  }

  private get specs(): HostSpec[] {
    return [this.data, this.edge, ...this.appHosts].map((h) => ({
      name: h.name,
      address: h.address,
    }));
  }

  async up(log: (line: string) => void): Promise<void> {
    await removeFleetNetwork();
    createFleetNetwork(this.specs);
    log('network up: bridge msfleet0, 6 namespaces');
    await this.data.up();
    log(`data host up: PostgreSQL and Redis (password) on ${this.data.address}`);
    this.key = await this.createKey('fleet', ['--scopes', 'read,scan,predict']);
    // One deploy migrates (as on a real fleet: the first host of a release); the others do not.
    const [first, ...rest] = this.appHosts;
    await first!.deploy({ migrate: true });
    await Promise.all(rest.map((h) => h.deploy({ migrate: false })));
    await Promise.all(this.appHosts.map((h) => h.start()));
    log(`app hosts up: ${this.appHosts.map((h) => `${h.hostname} ${h.address}`).join(', ')}`);
    await this.edge.up(this.apis.flatMap((h) => h.ports.map((p) => `${h.address}:${p}`)));
    log(`edge up: https://${this.edge.address} (${this.edge.serverName})`);
    this.queue = new Queue(QUEUES.scan, {
      connection: bullConnection(
        this.data.redisUrl,
        'consumer',
        readFileSync(this.data.caFile, 'utf8'),
      ),
    });
    this.queue.on('error', () => {}); // tests take Redis and hosts away on purpose
    await this.warmWorkers();
    log('both worker hosts hold the 10,000-symbol bars');
  }

  /** Stops what runs (bounded), then removes the namespaces and the bridge whatever happened. */
  async down(log: (line: string) => void): Promise<void> {
    await this.queue?.close().catch(() => {});
    const bounded = (what: string, work: Promise<unknown>, ms: number) =>
      Promise.race([
        work,
        new Promise((r) => setTimeout(r, ms).unref()).then(() => log(`${what}: gave up after ${ms} ms`)),
      ]).catch((error: unknown) => log(`${what}: ${(error as Error).message.split('\n')[0]}`)); // prettier-ignore
    await Promise.all(this.appHosts.map((h) => bounded(`stopping ${h.name}`, h.stop(), 60_000)));
    await bounded('stopping the edge', this.edge.down(), 15_000);
    await bounded('stopping the data host', this.data.down(), 60_000);
    await removeFleetNetwork();
    log('fleet down: no namespace, bridge or process of it is left');
  }

  /** An API key in the fleet's database, made with the operator's CLI; the key. */
  async createKey(name: string, args: string[]): Promise<string> {
    const made = await cli(this.data.databaseUrl, 'keys', 'create', '--name', name, ...args);
    if (made.code !== 0) throw new Error(`keys create failed:\n${made.stderr}`);
    return made.stdout.trim();
  }

  sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.data.databaseUrl, async (c) => (await c.query(text, params)).rows as T[]);
  } // prettier-ignore

  /** The scan queue's events, read from the data host's Redis (what every api process hears). */
  async queueEvents(): Promise<QueueEvents> {
    const events = new QueueEvents(QUEUES.scan, {
      connection: bullConnection(
        this.data.redisUrl,
        'consumer',
        readFileSync(this.data.caFile, 'utf8'),
      ),
    });
    events.on('error', () => {});
    await events.waitUntilReady();
    return events;
  }

  /** A request straight to api process 1 of `host` (no edge), with the fleet's key unless told. */
  async direct(
    host: AppHost,
    path: string,
    opts: { method?: string; body?: unknown; key?: string } = {},
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${host.url()}${path}`, {
      method: opts.method ?? 'GET',
      headers: {
        'X-API-Key': opts.key ?? this.key,
        ...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** A WebSocket held on api process 1 of `host`. */
  socket(host: AppHost, key = this.key): Promise<FrameLog> {
    return openSocket(`ws://${host.address}:3001/v1/ws`, key);
  }

  /** The worker host whose process runs (or ran) scan `id`: BullMQ records `hostname:pid`. */
  async runnerOf(id: string, timeoutMs = 30_000): Promise<{ host: AppHost; pid: number }> {
    let by = '';
    await waitFor(
      async () => {
        by = (await this.queue.getJob(id))?.processedBy ?? '';
        return by !== '';
      },
      timeoutMs,
      `a worker to take scan ${id}`,
    );
    const [hostname, pid] = by.split(':');
    const host = this.workers.find((w) => w.hostname === hostname);
    if (!host) throw new Error(`scan ${id} ran on ${by}, not on a worker host of the fleet`);
    return { host, pid: Number(pid) };
  }

  /**
   * Runs scans two at a time (through api host A) until every worker host has completed one since
   * the call: each holds the 10,000-symbol bars in memory afterwards, and its BullMQ connection is
   * known to work. Bounded: at most 5 rounds.
   */
  async warmWorkers(): Promise<void> {
    const done = () => this.workers.map((w) => w.logLines('"scan completed"').length);
    const before = done();
    for (let round = 0; round < 5; round++) {
      const ids = await Promise.all(
        [0, 1].map(async () => {
          const res = await this.direct(this.apis[0]!, '/v1/scans', { method: 'POST', body: uniqueScan() }); // prettier-ignore
          if (res.status !== 202) throw new Error(`warm-up scan: ${res.status} ${JSON.stringify(res.body)}`); // prettier-ignore
          return res.body.id as string;
        }),
      );
      for (const id of ids) await this.finished(id, 180_000);
      if (done().every((n, i) => n > before[i]!)) return;
    }
    throw new Error(`not every worker host ran a scan: ${done().join(', ')} completed (before: ${before.join(', ')})`); // prettier-ignore
  }

  /** Waits until scan `id` is completed or failed in PostgreSQL; its row. */
  async finished(id: string, timeoutMs: number): Promise<Record<string, any>> {
    let row: Record<string, any> | undefined;
    await waitFor(
      async () => {
        [row] = await this.sql(
          `SELECT status, attempts, summary, completed_at FROM scan_runs WHERE id = $1`,
          [id],
        );
        return row?.['status'] === 'completed' || row?.['status'] === 'failed';
      },
      timeoutMs,
      `scan ${id} to finish`,
    );
    return row!;
  }

  /** Result rows of scan `id`: how many, how many distinct symbols and ranks, and a digest. */
  async resultSet(id: string): Promise<{ n: number; symbols: number; ranks: number; digest: string }> {
    const [row] = await this.sql<{ n: number; symbols: number; ranks: number; digest: string }>(
      `SELECT count(*)::int AS n, count(DISTINCT symbol)::int AS symbols, count(DISTINCT rank)::int AS ranks,
              coalesce(md5(string_agg(rank || ':' || symbol || ':' || hit::text, ',' ORDER BY rank)), '') AS digest
         FROM scan_results WHERE scan_run_id = $1`,
      [id],
    );
    return row!;
  } // prettier-ignore
}

/** A scan request no earlier one made (so it is computed, not answered from the cache or the store). */
let fresh = 0;
export const uniqueScan = (extra: ScanBody = {}): ScanBody => ({
  accountSize: 30_000 + (Date.now() % 1_000_000) + ++fresh,
  maxSymbols: 25,
  ...extra,
});
