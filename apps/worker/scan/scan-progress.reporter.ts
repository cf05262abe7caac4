import {
  isProgressAhead,
  progressPosition,
  type ProgressPosition,
  type ScanHit,
  type ScanProgress,
} from '#jobs';
import { observeDuration, scanStageDuration } from '#observability';

type Stage = ScanProgress['stage'];

/** Where each stage starts on the 0..100 bar: DESIGN §4's weights, loading 5, fetching 20, scanning 70, finalizing 5. */
const STAGE_START = {
  loading: 0,
  fetching: 5,
  scanning: 25,
  finalizing: 95,
} as const satisfies Record<Stage, number>;
const SCANNING_SHARE = STAGE_START.finalizing - STAGE_START.scanning;

/**
 * Progress carries at most this many live hits (DESIGN §4 allows up to maxSymbols). Every progress
 * event goes through Redis to every api process and stays in the queue's event stream: 500-hit
 * frames every 10 ms were ~10 MiB per scan, and the stream keeps the last events of every scan
 * (docs/decisions.md). A phone shows the top of the list while a scan runs; `completed` has it all.
 */
export const PARTIAL_HITS = 25;

/** Scanning frames at most this often (plus one per stage), so a fast scan is not slowed by Redis calls. */
export const PROGRESS_EVERY_MS = 10;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Tells how one scan advances, to two audiences: clients, as ScanProgress frames sent through the
 * job (the api relays them over the WebSocket), and operators, as `scan_stage_duration_seconds`.
 * A frame goes out when loading, fetching and finalizing start; while scanning, after a chunk, at
 * most one every PROGRESS_EVERY_MS. Stages only move forward, and so does what is reported across
 * attempts: a retried job starts over at `loading`, but its frames are held back until they pass
 * the last one the previous attempt reported (BullMQ keeps `job.progress` across retries; clients
 * and `GET /v1/scans/{id}` read it).
 */
export class ScanProgressReporter {
  private stage: Stage = 'loading';
  private readonly startedAt: number;
  private stageStartedAt: number;
  private lastSentAt = -Infinity;
  /** The previous attempt's last report, until this attempt passes it. */
  private resumeFrom: ProgressPosition | null;

  /**
   * @param send delivers a frame (`job.updateProgress` in the worker).
   * @param now milliseconds on a monotonic clock; starts the `loading` stage and the total.
   * @param previous the job's stored progress (`job.progress`): set when an earlier attempt ran.
   * @param onLost told of a frame that could not be sent.
   */
  constructor(
    private readonly send: (progress: ScanProgress) => Promise<unknown>,
    private readonly now: () => number = () => performance.now(),
    previous: unknown = null,
    private readonly onLost: (error: unknown) => void = () => {},
  ) {
    this.startedAt = this.stageStartedAt = now();
    this.resumeFrom = progressPosition(previous);
  }

  /** Milliseconds since the reporter was made (the scan's `totalMs`). */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  /** Loading (the job's data version) or fetching (the bars): nothing scanned yet, the universe unknown. */
  enter(stage: 'loading' | 'fetching'): void {
    this.moveTo(stage);
    this.deliver({
      stage,
      percent: STAGE_START[stage],
      symbolsScanned: 0,
      universeSize: 0,
      etaSeconds: null,
      partial: [],
    });
  }

  /** The engine starts; the first scanning frame follows the first chunk, when there is something to show. */
  startScanning(): void {
    this.moveTo('scanning');
  }

  /**
   * After a chunk. `partial(limit)` gives the current top hits; it is called only when a frame goes
   * out, so converting hits costs nothing for the chunks in between.
   */
  scanned(
    symbolsScanned: number,
    universeSize: number,
    partial: (limit: number) => ScanHit[],
  ): void {
    const now = this.now();
    if (now - this.lastSentAt < PROGRESS_EVERY_MS) return;
    const fraction = universeSize === 0 ? 1 : symbolsScanned / universeSize;
    const elapsed = (now - this.stageStartedAt) / 1000;
    this.deliver({
      stage: 'scanning',
      percent: round(STAGE_START.scanning + SCANNING_SHARE * fraction, 1),
      symbolsScanned,
      universeSize,
      etaSeconds: fraction > 0 ? round(elapsed / fraction - elapsed, 2) : null,
      partial: partial(PARTIAL_HITS),
    });
  }

  /** The engine is done; writing the results starts. */
  finalizing(symbolsScanned: number, universeSize: number, hits: ScanHit[]): void {
    this.moveTo('finalizing');
    this.deliver({
      stage: 'finalizing',
      percent: STAGE_START.finalizing,
      symbolsScanned,
      universeSize,
      etaSeconds: 0,
      partial: hits.slice(0, PARTIAL_HITS),
    });
  }

  /** The results are written: records the finalizing stage and the whole scan. */
  finish(): void {
    this.observeStage();
    observeDuration(scanStageDuration, { stage: 'total' }, this.elapsedMs() / 1000);
  }

  private moveTo(stage: Stage): void {
    if (STAGE_START[stage] < STAGE_START[this.stage])
      throw new Error(`scan progress cannot go back from ${this.stage} to ${stage}`);
    if (stage === this.stage) return;
    this.observeStage();
    this.stage = stage;
    this.stageStartedAt = this.now();
  }

  private observeStage(): void {
    observeDuration(
      scanStageDuration,
      { stage: this.stage },
      (this.now() - this.stageStartedAt) / 1000,
    );
  }

  /**
   * Sends without waiting for Redis: a round trip per frame was a third of a 505-symbol scan's
   * time in the worker. Order is kept all the same — every frame goes out on the worker's one
   * BullMQ connection in the order sent, and the job's completion after them — and the pace is
   * bounded by PROGRESS_EVERY_MS, so frames cannot pile up faster than Redis takes them. Frames
   * are advisory: a lost one goes to `onLost`; the result's write decides the scan's outcome.
   */
  private deliver(progress: ScanProgress): void {
    if (this.resumeFrom) {
      if (!isProgressAhead(progress, this.resumeFrom)) return;
      this.resumeFrom = null;
    }
    this.lastSentAt = this.now();
    this.send(progress).catch(this.onLost);
  }
}
