import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
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
import { ProblemException, RetryLaterException } from '../http/problem.js';
import type { CachedScan, ScanCache } from './scan-cache.js';
import type { ScanEventsService } from './scan-events.service.js';
import { normalizeScanRequest, requestHash } from './scan-request.normalizer.js';
import { presentScan } from './scan.presenter.js';
import type { ScansRepository } from './scans.repository.js';
import { ScansService } from './scans.service.js';

// Hand-made fakes of ScansService's collaborators: the decisions are tested here, in process; the
// SQL, Redis and BullMQ behind them are covered by test/scans.e2e-spec.ts.

const alice: Principal = {
  keyId: 'a0000000-0000-4000-8000-000000000001',
  name: 'alice',
  scopes: ['scan'],
};
const bob: Principal = {
  keyId: 'b0000000-0000-4000-8000-000000000002',
  name: 'bob',
  scopes: ['scan'],
};
const VERSION = 7;
const DEFAULT_HASH = requestHash(normalizeScanRequest({}));

const summary: ScanSummary = {
  statusText: '1 of 1 symbols passed the balanced filters',
  relaxed: false,
  universeSize: 1,
  symbolsScanned: 1,
  skippedInsufficientHistory: 0,
  dataVersion: VERSION,
  asOf: '2018-02-07',
  metrics: { totalMs: 2, computeMs: 1, symbolsPerSecond: 1000, barCacheHit: true },
};
const hit = { rank: 1, symbol: 'AAPL', techRating: 71 } as ScanHit;

/** scan_runs and scan_results in memory, with the one-run-in-flight rule of the partial unique index. */
class FakeRuns {
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
    insertQueued: async (r: {
      id: string;
      apiKeyId: string;
      requestHash: string;
      request: NormalizedScanRequest;
      dataVersion: number;
    }) =>
      this.inFlight(r.requestHash, r.dataVersion)
        ? null
        : this.add({ ...r, request: { ...r.request } }),
    findInFlight: async (hash: string, version: number) => this.inFlight(hash, version),
    countInFlightOwnedBy: async (keyId: string) =>
      [...this.runs.values()].filter(
        (r) => r.apiKeyId === keyId && ['queued', 'running'].includes(r.status),
      ).length,
    findCompleted: async (hash: string, version: number) =>
      [...this.runs.values()].find(
        (r) => r.requestHash === hash && r.dataVersion === version && r.status === 'completed',
      ) ?? null,
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

function setUp(
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
  const versions = { current: async () => VERSION } satisfies Partial<DataVersions>;
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

const status = (error: unknown) => (error instanceof ProblemException ? error.getStatus() : error);

describe('ScansService.create', () => {
  it('answers 200 from the cache, marked cached, and lets the asking key see the scan', async () => {
    const { service, runs, queue, cache } = setUp();
    // A run only the cache knows: were the answer read from the store, there would be none.
    const owned = new FakeRuns().add({ status: 'completed', summary });
    cache.set(`${DEFAULT_HASH}:${VERSION}`, {
      ownerKeyId: alice.keyId,
      scan: presentScan(owned, { cached: false, hits: [hit] }),
    });
    const answer = await service.create({}, bob, 'req-1');
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.cached, true);
    assert.equal(answer.scan.id, owned.id);
    assert.deepEqual(runs.viewers, [[owned.id, bob.keyId]]);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('does not add the owner as a viewer of its own cached scan', async () => {
    const { service, runs, cache } = setUp();
    const owned = new FakeRuns().add({ status: 'completed', summary });
    cache.set(`${DEFAULT_HASH}:${VERSION}`, {
      ownerKeyId: alice.keyId,
      scan: presentScan(owned, { cached: false, hits: [hit] }),
    });
    assert.equal((await service.create({}, alice, 'req-1')).status, 200);
    assert.deepEqual(runs.viewers, []);
  });

  it('answers 200 from a stored result of the same request and data version, and caches it for its owner', async () => {
    const { service, runs, queue, cache } = setUp();
    const done = runs.add({ status: 'completed', summary });
    const answer = await service.create({}, bob, 'req-1');
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.cached, true);
    assert.deepEqual(answer.scan.result?.results, [hit]);
    assert.equal(cache.get(`${DEFAULT_HASH}:${VERSION}`)?.ownerKeyId, alice.keyId);
    assert.deepEqual(runs.viewers, [[done.id, bob.keyId]]);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('enqueues a new run with the request id and data version and answers 202 queued', async () => {
    const { service, queue } = setUp();
    const answer = await service.create({ profile: 'aggressive' }, alice, 'req-1');
    assert.equal(answer.status, 202);
    assert.equal(answer.scan.status, 'queued');
    assert.equal(answer.scan.cached, false);
    assert.deepEqual(
      queue.state.enqueued.map((p) => [
        p.scanRunId,
        p.requestId,
        p.dataVersion,
        p.request.profile,
        p.request.minTechRating,
      ]),
      [[answer.scan.id, 'req-1', VERSION, 'aggressive', 45]],
    );
    assert.deepEqual(queue.state.waits, [], 'no ?wait, no waiting');
  });

  it('lets an identical request in flight share the run instead of enqueueing another', async () => {
    const { service, runs, queue } = setUp();
    const first = await service.create({}, alice, 'req-1');
    const second = await service.create({}, bob, 'req-2');
    assert.equal(second.status, 202);
    assert.equal(second.scan.id, first.scan.id);
    assert.equal(queue.state.enqueued.length, 1);
    assert.deepEqual(runs.viewers, [[first.scan.id, bob.keyId]]);
  });

  it('enqueues a shared run again when its job vanished from the queue', async () => {
    const { service, queue } = setUp();
    const first = await service.create({}, alice, 'req-1');
    queue.state.jobs.clear();
    await service.create({}, bob, 'req-2');
    assert.deepEqual(
      queue.state.enqueued.map((p) => p.scanRunId),
      [first.scan.id, first.scan.id],
    );
  });

  it('answers 503 when the queue is unavailable and removes the run, so a retry starts afresh', async () => {
    const { service, runs, queue } = setUp();
    queue.state.unavailable = true;
    await assert.rejects(service.create({}, alice, 'req-1'), (error) => status(error) === 503);
    assert.equal(runs.deleted.length, 1);
    assert.equal(runs.runs.size, 0);
    queue.state.unavailable = false;
    assert.equal((await service.create({}, alice, 'req-2')).status, 202);
  });

  it('scans the trading day before a weekend, keeping the requested date in the request', async () => {
    const { service, queue } = setUp();
    await service.create({ asOf: '2018-02-03' }, alice, 'req-1');
    const { asOf, asOfRequested } = queue.state.enqueued[0]!.request;
    assert.deepEqual([asOf, asOfRequested], ['2018-02-02', '2018-02-03']);
  });

  it('refuses an asOf outside the data with 422 before touching the queue', async () => {
    const { service, queue } = setUp();
    for (const asOf of ['2030-01-01', '1999-01-01'])
      await assert.rejects(service.create({ asOf }, alice, 'r'), (e) => status(e) === 422);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('keys runs by direction: a short scan neither joins nor reuses a long one', async () => {
    const { service, queue } = setUp();
    const long = await service.create({}, alice, 'req-1');
    const short = await service.create({ direction: 'short' }, alice, 'req-2');
    assert.notEqual(short.scan.id, long.scan.id);
    assert.deepEqual(
      queue.state.enqueued.map((p) => p.request.direction),
      ['long', 'short'],
    );
  });

  it('refuses unknown symbols with 400 before touching the queue', async () => {
    const { service, queue } = setUp();
    await assert.rejects(
      service.create({ symbols: ['AAPL', 'NOPE'] }, alice, 'req-1'),
      (error) => status(error) === 400,
    );
    assert.equal(queue.state.enqueued.length, 0);
  });
});

describe('ScansService.create with ?wait=N', () => {
  it('answers 200 completed when the scan finishes before N seconds', async () => {
    const { service, queue } = setUp({
      work: (queue, id) => setTimeout(() => queue.finish(id, { summary }), 10),
    });
    const answer = await service.create({}, alice, 'req-1', 5);
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.status, 'completed');
    assert.equal(answer.scan.result?.symbolsScanned, 1);
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 5000, how: 'finished' }]);
  });

  it('answers 202 with the run still queued when N seconds pass first', async () => {
    const { service, queue } = setUp();
    const answer = await service.create({}, alice, 'req-1', 0.05);
    assert.equal(answer.status, 202);
    assert.equal(answer.scan.status, 'queued');
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 50, how: 'timed out' }]);
  });

  it('answers 200 failed with the error when the scan fails within N seconds', async () => {
    const { service, queue } = setUp({
      work: (queue, id) => setTimeout(() => queue.finish(id, { error: 'worker lost' }), 10),
    });
    const answer = await service.create({}, alice, 'req-1', 5);
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.status, 'failed');
    assert.equal(answer.scan.error, 'worker lost');
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 5000, how: 'finished' }]);
  });

  it('does not wait for a scan that finished before the wait began', async () => {
    const { service, queue } = setUp({ work: (queue, id) => queue.finish(id, { summary }) });
    const answer = await service.create({}, alice, 'req-1', 30);
    assert.equal(answer.status, 200);
    assert.deepEqual(queue.state.waits, [{ timeoutMs: 30_000, how: 'already finished' }]);
  });
});

describe('ScansService.create: scans in flight per credential', () => {
  const distinct = (n: number) => ({ maxSymbols: n });

  it('starts 3 scans of one credential, refuses a 4th new one with 429 and Retry-After, and lets another credential start', async () => {
    const { service, queue } = setUp();
    for (const n of [1, 2, 3])
      assert.equal((await service.create(distinct(n), alice, 'r')).status, 202);
    await assert.rejects(
      service.create(distinct(4), alice, 'r'),
      (e: unknown) =>
        e instanceof RetryLaterException && e.getStatus() === 429 && e.retryAfterSeconds > 0,
    );
    assert.equal(queue.state.enqueued.length, 3);
    assert.equal((await service.create(distinct(4), bob, 'r')).status, 202);
  });

  it('still lets a credential at the cap join an identical run in flight', async () => {
    const { service, runs } = setUp();
    const theirs = runs.add({ apiKeyId: bob.keyId });
    for (const n of [1, 2, 3]) await service.create(distinct(n), alice, 'r');
    const joined = await service.create({}, alice, 'r');
    assert.equal(joined.status, 202);
    assert.equal(joined.scan.id, theirs.id);
  });

  it('counts only runs queued or running: a finished one frees its place', async () => {
    const { service, queue } = setUp({
      work: (q, id) => q.finish(id, { summary }),
    });
    for (const n of [1, 2, 3, 4, 5]) await service.create(distinct(n), alice, 'r');
    assert.equal(queue.state.enqueued.length, 5);
  });
});
