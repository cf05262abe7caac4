import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import {
  isShared,
  mergeTop,
  rankedHits,
  scanOutcome,
  type BarStore,
  type RankedHit,
  type ScanOutcome,
  type ScanParams,
  type ScanShard,
  type ShardEntry,
} from '#scan-engine';
import type { FromThread, ThreadData, ToThread } from './scan-thread.js';

/** The thread's module beside this one: .ts when run from source, .js once built. */
const THREAD_ENTRY = new URL(
  `./scan-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** A scan split across the threads: its outcome, exactly the one-thread outcome, and its wall time. */
export interface SplitResult {
  outcome: ScanOutcome;
  /** From handing out the shares to the last share's end: the engine's time as the job sees it. */
  computeMs: number;
}

/**
 * After a chunk of any share: symbols scanned so far over all shares, and the current best passing
 * hits over all shares (computed only when called: a progress frame that is not sent costs nothing).
 */
export type SplitProgress = (
  scanned: number,
  partial: (limit: number) => RankedHit[],
) => Promise<void>;

interface Slot {
  worker: Worker;
  /** The store last posted to this thread (its id), -1 before the first. */
  storeId: number;
}

interface ActiveScan {
  onMessage(slot: number, message: FromThread): void;
  fail(error: Error): void;
}

/**
 * A fixed set of worker threads that scan shares of one universe side by side. Hand-made over
 * node:worker_threads rather than a pool library (Piscina), because the work is not a queue of
 * independent tasks: every thread must hold the current data version's store (posted to each
 * thread once per version, which a pool that hands a task to whichever thread is idle cannot
 * address), every scan needs all threads at once, one share each, and each share streams progress
 * back per chunk. A thread that dies (an uncaught error, or killed) fails the scans it was part of
 * and is started again for the next scan.
 */
export class ScanThreads implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly slots: (Slot | null)[];
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly active = new Map<number, ActiveScan>();
  private readonly storeIds = new WeakMap<BarStore, number>();
  private lastStoreId = 0;
  private lastScanId = 0;
  private closed = false;

  /**
   * @param size threads (SCAN_THREADS); 1 means none: every scan runs inline.
   * @param minSymbols smaller universes run inline (SCAN_THREADS_MIN_SYMBOLS).
   */
  constructor(
    readonly size: number,
    readonly minSymbols: number,
  ) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Whether a universe of `symbols` is split across the threads rather than scanned inline. */
  splits(symbols: number): boolean {
    return this.size > 1 && symbols >= this.minSymbols && !this.closed;
  }

  /**
   * Scans `indexes` of `store` (whose columns must be SharedArrayBuffer-backed: see toShared) on
   * every thread, `indexes` dealt out round-robin, each share advancing `chunk` symbols between
   * progress messages, each share's top in them at most every `topEveryMs` (0: whenever it
   * changed) and after its last chunk. Rejects when `onProgress` rejects (the other shares are
   * cancelled), when a share fails (its error's name and message), or when a thread dies.
   */
  async scan(
    store: BarStore,
    indexes: ArrayLike<number>,
    params: ScanParams,
    chunk: number,
    partialLimit: number,
    onProgress: SplitProgress,
    topEveryMs = 0,
  ): Promise<SplitResult> {
    if (this.closed) throw new Error('scan threads are closed');
    if (!isShared(store)) throw new Error('a split scan needs a store on SharedArrayBuffers');
    const storeId = this.storeIdOf(store);
    const scanId = ++this.lastScanId;
    const n = this.size;
    const shares = Array.from(
      { length: n },
      (_, k) => new Int32Array(Math.ceil(Math.max(0, indexes.length - k) / n)),
    );
    for (let i = 0; i < indexes.length; i++) shares[i % n]![Math.floor(i / n)] = indexes[i]!;

    const started = performance.now();
    const scanned = new Array<number>(n).fill(0);
    const tops: ShardEntry[][] = Array.from({ length: n }, () => []);
    const shards: (ScanShard | null)[] = new Array<ScanShard | null>(n).fill(null);
    let finishedAt = 0;
    // Held while a scan runs (the process waits for its threads), let go when idle.
    const hold = (on: boolean) => {
      for (const slot of this.slots) slot?.worker[on ? 'ref' : 'unref']();
    };
    let reporting: Promise<void> | null = null;
    let pending = false;
    return new Promise<SplitResult>((resolve, reject) => {
      let settled = false;
      const end = (error: Error | null) => {
        if (settled) return;
        settled = true;
        this.active.delete(scanId);
        if (this.active.size === 0) hold(false);
        if (error) {
          Atomics.store(this.control, 0, Math.max(Atomics.load(this.control, 0), scanId));
          reject(error);
          return;
        }
        const outcome = scanOutcome(params, shards as ScanShard[]);
        resolve({ outcome, computeMs: finishedAt - started });
      };
      const total = () => scanned.reduce((a, b) => a + b, 0);
      const partial = (limit: number) => rankedHits(mergeTop(tops, limit));
      // One report at a time: messages that come while one is out are summed into the next.
      const report = () => {
        if (reporting) {
          pending = true;
          return;
        }
        pending = false;
        reporting = onProgress(total(), partial).then(
          () => {
            reporting = null;
            if (settled) return;
            if (pending) report();
            else if (shards.every(Boolean)) end(null);
          },
          (error: unknown) => {
            reporting = null;
            end(error instanceof Error ? error : new Error(String(error)));
          },
        );
      };
      this.active.set(scanId, {
        onMessage: (k, m) => {
          if (m.type === 'progress') {
            scanned[k] = m.scanned;
            if (m.top) tops[k] = m.top;
            report();
          } else if (m.type === 'done') {
            shards[k] = m.shard;
            if (!shards.every(Boolean)) return;
            finishedAt = performance.now();
            // The last progress report goes out before the scan resolves, as inline.
            if (!reporting) end(null);
          } else if (m.type === 'failed') {
            const error = new Error(m.message);
            error.name = m.name;
            end(error);
          } else end(new Error(`scan thread ${k} cancelled a running scan`));
        },
        fail: end,
      });
      try {
        for (let k = 0; k < n; k++) {
          const slot = this.slotAt(k);
          if (slot.storeId !== storeId) {
            this.post(slot, { type: 'store', storeId, store });
            slot.storeId = storeId;
          }
          const share = shares[k]!;
          this.post(
            slot,
            {
              type: 'scan',
              scanId,
              storeId,
              indexes: share,
              params,
              chunk,
              partialLimit,
              topEveryMs,
            },
            [share.buffer as ArrayBuffer],
          );
        }
        hold(true);
      } catch (error) {
        end(error as Error);
      }
    });
  }

  /**
   * The threads start with the worker, not with its first large scan: each loads the scan engine's
   * modules, time a new worker's first scan would otherwise wait for (cold start). Idle, they keep
   * nothing alive.
   */
  onApplicationBootstrap(): void {
    if (this.size > 1) for (let k = 0; k < this.size; k++) this.slotAt(k);
  }

  /** After the scan worker has drained (beforeApplicationShutdown): nothing is running any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Stops every thread; scans under way fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot, k) => {
        this.slots[k] = null;
        await slot?.worker.terminate();
      }),
    );
  }

  /** Stops thread `k` as if it had crashed (how the specs kill one mid-scan). */
  async crash(k: number): Promise<void> {
    await this.slots[k]?.worker.terminate();
  }

  private storeIdOf(store: BarStore): number {
    let id = this.storeIds.get(store);
    if (id === undefined) this.storeIds.set(store, (id = ++this.lastStoreId));
    return id;
  }

  private post(slot: Slot, message: ToThread, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(message, transfer);
  }

  private slotAt(k: number): Slot {
    const existing = this.slots[k];
    if (existing) return existing;
    const worker = new Worker(THREAD_ENTRY, {
      workerData: { control: this.control } satisfies ThreadData,
    });
    // An idle thread does not keep the process alive; close() stops them on shutdown.
    worker.unref();
    const slot: Slot = { worker, storeId: -1 };
    const died = (error: Error) => {
      if (this.slots[k] !== slot) return;
      this.slots[k] = null;
      for (const scan of [...this.active.values()]) scan.fail(error);
    };
    worker.on('message', (m: FromThread) => this.active.get(m.scanId)?.onMessage(k, m));
    worker.on('error', (error) => died(new Error(`scan thread ${k} failed: ${error.message}`)));
    worker.on('exit', (code) => died(new Error(`scan thread ${k} exited with code ${code}`)));
    this.slots[k] = slot;
    return slot;
  }
}
