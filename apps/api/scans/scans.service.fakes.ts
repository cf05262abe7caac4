import { randomUUID } from 'node:crypto';
import { ScanRunEntity, type DataVersions } from '#database';
import {
  QueueUnavailableError,
  type NormalizedScanRequest,
  type ScanHit,
  type ScanJobPayloadV2,
  type ScanProducer,
  type ScanSummary,
} from '#jobs';
import type { AppConfig } from '#config';
import type { Principal } from '../auth/api-key.service.js';
import type { TradingCalendar } from '../calendar/trading-calendar.service.js';
import { ProblemException } from '../http/problem.js';
import type { CachedScan, ScanCache } from './scan-cache.js';
import type { ScanEventsService } from './scan-events.service.js';
import { normalizeScanRequest, requestHash } from './scan-request.normalizer.js';
import type { InsertOutcome, ScansRepository } from './scans.repository.js';
import { ScansService } from './scans.service.js';

// Hand-made fakes of ScansService's collaborators: the decisions are tested here, in process; the
// SQL, Redis and BullMQ behind them are covered by test/scans.e2e-spec.ts.

export const alice: Principal = {
  keyId: 'a0000000-0000-4000-8000-000000000001',
  name: 'alice',
  scopes: ['scan'],
};
export const bob: Principal = {
  keyId: 'b0000000-0000-4000-8000-000000000002',
  name: 'bob',
  scopes: ['scan'],
};
export const VERSION = 7;
export const DEFAULT_HASH = requestHash(normalizeScanRequest({}));

export const summary: ScanSummary = {
  statusText: '1 of 1 symbols passed the balanced filters',
  relaxed: false,
  universeSize: 1,
  symbolsScanned: 1,
  skippedInsufficientHistory: 0,
  dataVersion: VERSION,
  asOf: '2018-02-07',
  metrics: { totalMs: 2, computeMs: 1, symbolsPerSecond: 1000, barCacheHit: true },
};
export const hit = { rank: 1, symbol: 'AAPL', techRating: 71 } as ScanHit;

/** scan_runs and scan_results in memory, with the one-run-in-flight rule of the partial unique index. */
export class FakeRuns {
  readonly runs = new Map<string, ScanRunEntity>();
  readonly viewers: [string, string][] = [];
  readonly deleted: string[] = [];

  add(fields: Partial<ScanRunEntity>): ScanRunEntity {
    const run = Object.assign(new ScanRunEntity(), {
      id: randomUUID(),
      apiKeyId: alice.keyId,
      viewerKeyIds: [],
      requestHash: DEFAULT_HASH,
      request: normalizeScanRequest({}),
      dataVersion: VERSION,
      status: 'queued',
      summary: null,
      error: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      completedAt: null,
      ...fields,
    });
    this.runs.set(run.id, run);
    return run;
  }

  finish(id: string, outcome: { error: string } | { summary: ScanSummary }): void {
    const run = this.runs.get(id)!;
    Object.assign(
      run,
      'error' in outcome
        ? { status: 'failed', error: outcome.error }
        : { status: 'completed', summary: outcome.summary },
    );
    run.completedAt = new Date('2026-01-01T00:00:01Z');
  }

  readonly repository = {
    insertQueued: async (
      r: {
        id: string;
        apiKeyId: string;
        requestHash: string;
        request: NormalizedScanRequest;
        dataVersion: number;
      },
      maxInFlight: number,
    ): Promise<InsertOutcome> => {
      const open = [...this.runs.values()].filter(
        (run) => run.apiKeyId === r.apiKeyId && ['queued', 'running'].includes(run.status),
      ).length;
      // As scan_run_enqueue: a stored result answers before any count or insert.
      if (this.completed(r.requestHash, r.dataVersion)) return { completed: true };
      if (open >= maxInFlight) return { capped: true };
      if (this.inFlight(r.requestHash, r.dataVersion)) return { inFlight: true };
      return { run: this.add({ ...r, request: { ...r.request } }) };
    },
    findInFlight: async (hash: string, version: number) => this.inFlight(hash, version),
    findCompleted: async (hash: string, version: number) => this.completed(hash, version),
    findById: async (id: string) => this.runs.get(id) ?? null,
    addViewer: async (id: string, keyId: string) => void this.viewers.push([id, keyId]),
    hits: async () => [hit],
    deleteQueued: async (id: string) => {
      this.deleted.push(id);
      this.runs.delete(id);
    },
    activeSectors: async (symbols: string[]) =>
      new Map(symbols.filter((s) => s === 'AAPL').map((s) => [s, 'Information Technology'])),
  } satisfies Partial<ScansRepository>;

  private completed(hash: string, version: number): ScanRunEntity | null {
    return (
      [...this.runs.values()].find(
        (r) => r.requestHash === hash && r.dataVersion === version && r.status === 'completed',
      ) ?? null
    );
  }

  private inFlight(hash: string, version: number): ScanRunEntity | null {
    return (
      [...this.runs.values()].find(
        (r) =>
          r.requestHash === hash &&
          r.dataVersion === version &&
          ['queued', 'running'].includes(r.status),
      ) ?? null
    );
  }
}

type WaitEnd = 'already finished' | 'finished' | 'timed out';

/** The queue and its events: `work` decides what the "worker" does with each enqueued job, and when. */
function fakeQueue(runs: FakeRuns, work: (scanRunId: string) => void = () => {}) {
  const waiters = new Map<string, () => void>();
  const state = {
    enqueued: [] as ScanJobPayloadV2[],
    jobs: new Set<string>(),
    unavailable: false,
    waits: [] as { timeoutMs: number; how: WaitEnd }[],
  };
  const producer = {
    enqueue: async (payload: ScanJobPayloadV2) => {
      if (state.unavailable) throw new QueueUnavailableError(new Error('connection refused'));
      state.enqueued.push(payload);
      state.jobs.add(payload.scanRunId);
      work(payload.scanRunId);
    },
    exists: async (id: string) => state.jobs.has(id),
    progressOf: async () => null,
  } satisfies Partial<ScanProducer>;
  // Same contract as ScanEventsService.waitForFinish: true once finished, false after the timeout.
  // Each wait records how it ended, so the tests need not measure time.
  const events = {
    waitForFinish: (scanId: string, timeoutMs: number, isFinished: () => Promise<boolean>) =>
      new Promise<boolean>((resolve) => {
        const end = (how: WaitEnd, finished: boolean) => {
          clearTimeout(timer);
          waiters.delete(scanId);
          state.waits.push({ timeoutMs, how });
          resolve(finished);
        };
        const timer = setTimeout(() => end('timed out', false), timeoutMs);
        waiters.set(scanId, () => end('finished', true));
        void isFinished().then((finished) => finished && end('already finished', true));
      }),
  } satisfies Partial<ScanEventsService>;
  const finish = (id: string, outcome: { error: string } | { summary: ScanSummary }) => {
    runs.finish(id, outcome);
    waiters.get(id)?.();
  };
  return { state, producer, events, finish };
}

export function setUp(
  options: { work?: (queue: ReturnType<typeof fakeQueue>, scanRunId: string) => void } = {},
) {
  const runs = new FakeRuns();
  const queue: ReturnType<typeof fakeQueue> = fakeQueue(runs, (id) => options.work?.(queue, id));
  /** Keyed like ScanCache: request hash and data version. */
  const cache = new Map<string, CachedScan>();
  const fakeCache = {
    get: async (hash: string, version: number) => cache.get(`${hash}:${version}`) ?? null,
    set: async (hash: string, version: number, entry: CachedScan) =>
      void cache.set(`${hash}:${version}`, entry),
  } satisfies Partial<ScanCache>;
  const versions = { recent: async () => VERSION } satisfies Partial<DataVersions>;
  // Data from Mon 2018-01-29 to Wed 2018-02-07; a weekend resolves to the Friday before.
  const calendar = {
    resolve: async (requested: string) => {
      if (requested < '2018-01-29' || requested > '2018-02-07')
        throw new ProblemException(422, `asOf ${requested} is outside the data`);
      const weekend: Record<string, string> = {
        '2018-02-03': '2018-02-02',
        '2018-02-04': '2018-02-02',
      };
      return { asOf: weekend[requested] ?? requested, asOfRequested: requested };
    },
  } satisfies Partial<TradingCalendar>;
  const service = new ScansService(
    runs.repository as unknown as ScansRepository,
    fakeCache as unknown as ScanCache,
    queue.producer as unknown as ScanProducer,
    queue.events as unknown as ScanEventsService,
    versions as unknown as DataVersions,
    calendar as unknown as TradingCalendar,
    // The default cap of SCANS_IN_FLIGHT_PER_CREDENTIAL.
    { scans: { inFlightPerCredential: 3 } } as unknown as AppConfig,
  );
  return { service, runs, queue, cache };
}

export const status = (error: unknown) =>
  error instanceof ProblemException ? error.getStatus() : error;
