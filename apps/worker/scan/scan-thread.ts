// The body of one scan thread (ScanThreads starts them): holds the bar store of the current data
// version, received once per version on SharedArrayBuffers (the columns are read in place, never
// copied), and scans the share of a universe each scan message names, reporting after every chunk.
import { parentPort, workerData } from 'node:worker_threads';
import {
  ScanRun,
  type BarStore,
  type ScanParams,
  type ScanShard,
  type ShardEntry,
} from '#scan-engine';

export type ToThread =
  | { type: 'store'; storeId: number; store: BarStore }
  | {
      type: 'scan';
      scanId: number;
      storeId: number;
      indexes: Int32Array;
      params: ScanParams;
      chunk: number;
      /** Passing entries a progress message carries at most. */
      partialLimit: number;
      /** A progress message carries the share's top at most this often (and after the last chunk). */
      topEveryMs: number;
    };

export type FromThread =
  /** After a chunk; `top` only when this share's best entries changed since the last message. */
  | { type: 'progress'; scanId: number; scanned: number; top?: ShardEntry[] }
  | { type: 'done'; scanId: number; shard: ScanShard }
  | { type: 'failed'; scanId: number; name: string; message: string }
  | { type: 'cancelled'; scanId: number };

/** control[0]: the highest scan id cancelled; a thread checks it between chunks. */
export interface ThreadData {
  control: Int32Array;
}

const port = parentPort;
if (!port) throw new Error('scan-thread runs as a worker thread (ScanThreads starts it)');
const { control } = workerData as ThreadData;
let held: { storeId: number; store: BarStore } | null = null;

port.on('message', (message: ToThread) => {
  if (message.type === 'store') {
    // The previous version's store is let go here: its memory is freed once the process drops it too.
    held = { storeId: message.storeId, store: message.store };
    return;
  }
  try {
    scan(message);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      type: 'failed',
      scanId: message.scanId,
      name: e.name,
      message: e.message,
    } satisfies FromThread);
  }
});

function scan(m: Extract<ToThread, { type: 'scan' }>): void {
  if (!held || held.storeId !== m.storeId)
    throw new Error(`scan thread holds store ${held?.storeId ?? 'none'}, asked for ${m.storeId}`);
  const run = new ScanRun(held.store, m.indexes, m.params);
  let sent: ShardEntry[] = [];
  let sentAt = -Infinity;
  while (!run.done) {
    // Synchronous between chunks (no yield): the flag on shared memory is how a cancel gets in.
    if (Atomics.load(control, 0) >= m.scanId) {
      port!.postMessage({ type: 'cancelled', scanId: m.scanId } satisfies FromThread);
      return;
    }
    run.step(m.chunk);
    // The top is copied into the message (structured clone of its analyses): at most once per
    // topEveryMs, the pace of the progress frames it feeds, so a short share is not slowed by it,
    // and after the last chunk, so the last report has the share's final top.
    const now = performance.now();
    const fresh = run.done || now - sentAt >= m.topEveryMs;
    if (fresh) sentAt = now;
    const top = fresh ? run.shard(m.partialLimit).top : sent;
    const changed = top.length !== sent.length || top.some((e, k) => e !== sent[k]);
    if (changed) sent = top;
    port!.postMessage({
      type: 'progress',
      scanId: m.scanId,
      scanned: run.symbolsScanned,
      top: changed ? top : undefined,
    } satisfies FromThread);
  }
  port!.postMessage({ type: 'done', scanId: m.scanId, shard: run.shard() } satisfies FromThread);
}
