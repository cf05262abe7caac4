import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  QueueBacklogError,
  QueueUnavailableError,
  ScanProducer,
  type CarriedScanResult,
  type NormalizedScanRequest,
  type ScanProgress,
} from '#jobs';
import { APP_CONFIG, type AppConfig } from '#config';
import { scanRequests } from '#observability';
import { DataVersions, type ScanRunEntity } from '#database';
import { ProblemException, RetryLaterException } from '../http/problem.js';
import type { Principal } from '../auth/api-key.service.js';
import { TradingCalendar } from '../calendar/trading-calendar.service.js';
import { ScanCache } from './scan-cache.js';
import { ScanEventsService } from './scan-events.service.js';
import { checkWatchlist } from './scan-filters.js';
import { normalizeScanRequest, requestHash } from './scan-request.normalizer.js';
import { presentCarried, presentScan } from './scan.presenter.js';
import type { CreateScanDto, ScanDto } from './scans.dto.js';
import { ScansRepository } from './scans.repository.js';

export interface ScanAnswer {
  /** 200 when the scan is finished (cached, stored, or done within ?wait), else 202. */
  status: 200 | 202;
  scan: ScanDto;
  /** `scan` serialized, when it was held as bytes (a cached answer): sent as is. */
  body?: Buffer;
}

const unavailable = (): never => {
  throw new ProblemException(503, 'The scan queue is temporarily unavailable; retry shortly');
};

/**
 * A scan id PostgreSQL's uuid type accepts; anything else is an unknown scan. 36 hex digits and
 * dashes in other places passed a looser check and failed in the query as a 500 (fuzz suite).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Retry-After of the in-flight cap, s: about a few scans' time behind a short queue. */
const IN_FLIGHT_RETRY_SECONDS = 5;
/**
 * Retry-After of a full scan queue, s: long enough for workers to take a good part of the backlog
 * (hundreds of scans at tens of ms each on a warm worker), short enough for a phone to retry.
 */
const BACKLOG_RETRY_SECONDS = 10;

@Injectable()
export class ScansService {
  constructor(
    private readonly scans: ScansRepository,
    private readonly cache: ScanCache,
    private readonly producer: ScanProducer,
    private readonly events: ScanEventsService,
    private readonly versions: DataVersions,
    private readonly calendar: TradingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Answers a scan request: from the cache, else from a stored result of the same request on the
   * same data version, else by joining an identical run in flight, else by enqueueing a new run.
   * Never a 202 for a job that never runs: a run is only kept once its job is in the queue.
   */
  async create(
    dto: CreateScanDto,
    principal: Principal,
    requestId: string,
    waitSeconds = 0,
  ): Promise<ScanAnswer> {
    let request = normalizeScanRequest(dto);
    if (request.symbols)
      checkWatchlist(dto, request, await this.scans.activeSectors(request.symbols));
    const version = await this.versions.recent();
    // The trading day is part of the request (and of its hash): a Saturday scans the Friday.
    if (request.asOfRequested !== null)
      request = { ...request, ...(await this.calendar.resolve(request.asOfRequested, version)) };
    const hash = requestHash(request);

    const cached = await this.cache.get(hash, version);
    if (cached) {
      if (cached.ownerKeyId !== principal.keyId)
        await this.scans.addViewer(cached.scan.id, principal.keyId);
      scanRequests.inc({ outcome: 'cache_hit' });
      return { status: 200, scan: { ...cached.scan, cached: true }, body: cached.body };
    }
    // A credential starts at most SCANS_IN_FLIGHT_PER_CREDENTIAL runs at a time; joining a run in
    // flight costs nothing, so it stays allowed at the cap.
    const inserted = await this.scans.insertQueued(
      {
        id: randomUUID(),
        apiKeyId: principal.keyId,
        requestHash: hash,
        request,
        dataVersion: version,
        requestId,
      },
      this.config.scans.inFlightPerCredential,
    );
    // Stored results outlive the cache: an identical run completed on this data version answers
    // (the insert looked for one before and after taking its place).
    if ('completed' in inserted)
      return (
        (await this.answerFromStore(hash, version, principal)) ??
        this.create(dto, principal, requestId, waitSeconds)
      );
    let run = 'run' in inserted ? inserted.run : null;
    if (run) {
      await this.enqueue(run, request, requestId, () => this.scans.deleteQueued(run!.id), {
        maxWaiting: this.config.scans.queueBacklogLimit,
      });
      scanRequests.inc({ outcome: 'new_run' });
    } else {
      run = await this.scans.findInFlight(hash, version);
      if (!run && 'capped' in inserted)
        throw new RetryLaterException(
          429,
          `At most ${this.config.scans.inFlightPerCredential} scans of one credential may be queued or running; retry when one finishes`,
          IN_FLIGHT_RETRY_SECONDS,
        );
      // It finished between our insert and this read.
      if (!run)
        return (
          (await this.answerFromStore(hash, version, principal)) ??
          this.create(dto, principal, requestId, waitSeconds)
        );
      await this.scans.addViewer(run.id, principal.keyId);
      // A run whose job vanished (Redis lost it) is enqueued again rather than left waiting forever.
      if (!(await this.producer.exists(run.id).catch(() => unavailable())))
        await this.enqueue(run, request, requestId);
      scanRequests.inc({ outcome: 'joined' });
    }

    if (waitSeconds > 0) {
      const id = run.id;
      const finished = await this.events.waitForFinish(id, waitSeconds * 1000, async () => {
        const current = await this.scans.findById(id);
        return current?.status === 'completed' || current?.status === 'failed';
      });
      // Answered from the completion event when the worker carried the result: no read-back.
      if (typeof finished === 'object' && finished.kind === 'completed' && finished.result)
        return { status: 200, scan: presentCarried(run, finished.result) };
      run = (await this.scans.findById(run.id)) ?? run;
    }
    const scan = await this.present(run, false);
    return { status: run.status === 'completed' || run.status === 'failed' ? 200 : 202, scan };
  }

  /** The scan if this key may see it, else 404 (other keys' scans are not revealed to exist). */
  async get(id: string, principal: Principal): Promise<ScanDto> {
    const run = UUID.test(id)
      ? await this.scans.findVisible(id.toLowerCase(), principal.keyId)
      : null;
    if (!run) throw new ProblemException(404, `No scan ${id.slice(0, 40)} for this API key`);
    return this.present(run, false);
  }

  /** For the WebSocket gateway, before it subscribes anyone: whether the key may see the scan. */
  async canSee(id: string, principal: Principal): Promise<boolean> {
    return (
      UUID.test(id) && (await this.scans.findVisible(id.toLowerCase(), principal.keyId)) !== null
    );
  }

  /** For the WebSocket gateway: the scan if visible to the key, else null. */
  async findVisible(id: string, principal: Principal): Promise<ScanDto | null> {
    const run = UUID.test(id)
      ? await this.scans.findVisible(id.toLowerCase(), principal.keyId)
      : null;
    return run ? this.present(run, false) : null;
  }

  /**
   * For the gateway once a scan finished: the full resource, without an ownership check; its hits
   * from `carried` (the completion event's result) when given, instead of read back.
   */
  async load(id: string, carried?: CarriedScanResult): Promise<ScanDto | null> {
    const run = await this.scans.findById(id);
    if (run && carried && run.status === 'completed') return presentCarried(run, carried);
    return run ? this.present(run, false) : null;
  }

  private async present(run: ScanRunEntity, cached: boolean): Promise<ScanDto> {
    if (run.status === 'completed')
      return presentScan(run, { cached, hits: await this.scans.hits(run.id) });
    const progress =
      run.status === 'running'
        ? ((await this.producer.progressOf(run.id)) as ScanProgress | null)
        : null;
    return presentScan(run, { cached, progress });
  }

  private async answerFromStore(
    hash: string,
    version: number,
    principal: Principal,
  ): Promise<ScanAnswer | null> {
    const done = await this.scans.findCompleted(hash, version);
    if (!done) return null;
    await this.scans.addViewer(done.id, principal.keyId);
    const scan = await this.present(done, false);
    await this.cache.set(hash, version, { ownerKeyId: done.apiKeyId, scan });
    scanRequests.inc({ outcome: 'stored' });
    return { status: 200, scan: { ...scan, cached: true } };
  }

  private async enqueue(
    run: ScanRunEntity,
    request: NormalizedScanRequest,
    requestId: string,
    onFailure?: () => Promise<void>,
    bound: { maxWaiting?: number } = {},
  ): Promise<void> {
    try {
      await this.producer.enqueue(
        { v: 2, requestId, scanRunId: run.id, dataVersion: run.dataVersion, request },
        bound,
      );
    } catch (error) {
      await onFailure?.();
      if (error instanceof QueueUnavailableError) unavailable();
      if (error instanceof QueueBacklogError) {
        scanRequests.inc({ outcome: 'backlog_refused' });
        throw new RetryLaterException(
          503,
          `The scan queue holds ${error.waiting} scans waiting for a worker; new scans are refused until it drains (cached and identical scans are still answered)`,
          BACKLOG_RETRY_SECONDS,
        );
      }
      throw error;
    }
  }
}
