import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataVersions, type WatchResultRow } from '#database';
import { WatchesProducer, type NormalizedScanRequest } from '#jobs';
import { watchAlertsRecorded, watchEvaluationScans, watchEvaluationWatches } from '#observability';
import { ScanRun } from '#scan-engine';
import { engineParams } from '../scan/engine-params.js';
import { BarCacheLoader, type LoadedUniverse } from '../scan/bar-cache.loader.js';
import { selectUniverse } from '../scan/universe.js';
import { batchesByWatch, topRows } from './watch-diff.js';
import { WatchEvaluationRepository } from './watch-evaluation.repository.js';

/** Watches per transaction: small enough to hold row locks briefly, large enough to be few. */
export const WATCH_BATCH = 500;
/** Alerts per delivery job. */
export const DELIVERY_BATCH = 500;
/** The rows kept from each scan: the largest topN a watch may ask for. */
export const MAX_TOP_N = 50;

export interface EvaluationSummary {
  dataVersion: number;
  /** Distinct requests scanned (one scan each). */
  scans: number;
  watches: number;
  alerts: number;
}

/**
 * Re-runs every watch behind the current data version: each distinct normalized request is scanned
 * once, in this process, on the worker's in-memory bar cache (the one the scan consumer uses), then
 * every watch of it is compared with its previous top-N in batches (WatchEvaluationRepository holds
 * the fence). At the end, every alert of the version not yet handed over goes to alert-delivery.
 */
@Injectable()
export class WatchEvaluator {
  private readonly logger = new Logger(WatchEvaluator.name);

  constructor(
    private readonly loader: BarCacheLoader,
    private readonly versions: DataVersions,
    private readonly repository: WatchEvaluationRepository,
    private readonly producer: WatchesProducer,
  ) {}

  /** Evaluates what is stale; a no-op (no bar load, no scan) when every watch is current. */
  async evaluate(onProgress: () => Promise<void> = async () => {}): Promise<EvaluationSummary> {
    const current = await this.versions.current();
    const summary: EvaluationSummary = { dataVersion: current, scans: 0, watches: 0, alerts: 0 };
    if (current === 0 || !(await this.repository.anyStale(current))) return summary;
    // The snapshot may be newer than `current` (a bump in between): evaluate on what it holds.
    const { universe } = await this.loader.load(current);
    const version = universe.dataVersion;
    summary.dataVersion = version;
    for (const { requestHash, request } of await this.repository.staleRequests(version)) {
      const ranking = await scan(universe, request);
      summary.scans++;
      watchEvaluationScans.inc();
      const ids = await this.repository.staleWatchIds(version, requestHash);
      for (let i = 0; i < ids.length; i += WATCH_BATCH) {
        const outcome = await this.repository.commitBatch(
          version,
          requestHash,
          ids.slice(i, i + WATCH_BATCH),
          ranking,
        );
        summary.watches += outcome.evaluated;
        summary.alerts += outcome.alerts.length;
        watchEvaluationWatches.inc(outcome.evaluated);
        for (const alert of outcome.alerts) watchAlertsRecorded.inc({ kind: alert.kind });
      }
      await onProgress();
    }
    // At the end, not as they are committed: pushes sent while the scans still run slowed both
    // on one process (bench:alerts: 94 s to the last alert handed over instead of ~15 s). The
    // sweep also hands over what a crashed attempt committed and never handed over.
    await this.handOver(version, await this.repository.undelivered(version));
    this.logger.log(summary, 'watches evaluated');
    return summary;
  }

  /** `alerts` (grouped by watch) in delivery jobs named by their first and last id. */
  private async handOver(
    version: number,
    alerts: readonly { id: string; watchId: string }[],
  ): Promise<void> {
    const byWatch = [...alerts].sort(
      (a, b) => a.watchId.localeCompare(b.watchId) || Number(a.id) - Number(b.id),
    );
    for (const batch of batchesByWatch(byWatch, DELIVERY_BATCH))
      await this.producer.deliver(version, `${batch[0]}-${batch.at(-1)}`, batch);
  }
}

/** The request's ranking on `universe`, best first (MAX_TOP_N rows at most), yielding as it goes. */
async function scan(
  universe: LoadedUniverse,
  request: NormalizedScanRequest,
): Promise<WatchResultRow[]> {
  const run = new ScanRun(
    universe.store,
    selectUniverse(request, universe.instruments, universe.indexOf),
    engineParams(request),
  );
  // Chunks as the scan consumer takes them: the job lock keeps being renewed between them.
  const chunk = Math.max(25, Math.ceil(run.universeSize / 40));
  while (!run.done) {
    run.step(chunk);
    await yieldToEventLoop();
  }
  return topRows(run.result().hits, MAX_TOP_N);
}
