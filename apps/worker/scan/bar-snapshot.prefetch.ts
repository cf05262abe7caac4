import { readdirSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotBytes } from './bar-snapshot.read.js';

/** `bars-v<data version>-<sha256>.arrow`, as bar-snapshot.files.ts names them. */
const SNAPSHOT = /^bars-v(\d+)-[0-9a-f]{64}\.arrow$/;

/** The thread's module beside this one: .ts when run from source, .js once built. */
const THREAD_ENTRY = new URL(
  `./bar-snapshot.prefetch-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

export interface Prefetch {
  path: string;
  /** The file as it was when the read began: a file changed since is read again. */
  seen: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>;
  result: Promise<SnapshotBytes>;
}

let pending: Prefetch | null = null;

/**
 * Starts reading the newest snapshot of `dir` (the highest data version, the newest file of it) on
 * a thread of its own, as the worker process starts: the 0.55 GB read and hashed there while the
 * main thread loads the worker's modules and connects, instead of after the first job arrives. It
 * is only a guess (the database decides the version): BarSnapshots.read takes it when it asks for
 * that very file, unchanged since, and lets it go at its first read in any case. Does nothing
 * without a snapshot; never throws (a failed prefetch is a normal read later).
 */
export function prefetchNewestSnapshot(dir: string): void {
  try {
    const newest = readdirSync(dir)
      .map((name) => ({ name, version: Number(SNAPSHOT.exec(name)?.[1] ?? NaN) }))
      .filter(({ version }) => Number.isInteger(version))
      .map((f) => ({ ...f, path: join(dir, f.name), seen: statSync(join(dir, f.name)) }))
      .sort((a, b) => b.version - a.version || b.seen.mtimeMs - a.seen.mtimeMs)[0];
    if (!newest) return;
    const thread = new Worker(THREAD_ENTRY, { workerData: { path: newest.path } });
    thread.unref();
    const result = new Promise<SnapshotBytes>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`prefetch thread exited with code ${code}`)));
    });
    result.catch(() => {});
    pending = { path: newest.path, seen: newest.seen, result };
  } catch {
    pending = null;
  }
}

/** The prefetch started as the process booted, if any; forgotten by the call (used once, or never). */
export function claimPrefetch(): Prefetch | null {
  const claimed = pending;
  pending = null;
  return claimed;
}

/** `prefetch`'s bytes when it read `path` and the file is unchanged since, else null. */
export async function prefetchedBytes(
  prefetch: Prefetch | null,
  path: string,
): Promise<SnapshotBytes | null> {
  if (prefetch?.path !== path) return null;
  const now = await stat(path).catch(() => null);
  const same =
    now !== null &&
    now.size === prefetch.seen.size &&
    now.mtimeMs === prefetch.seen.mtimeMs &&
    now.ino === prefetch.seen.ino;
  return same ? prefetch.result.catch(() => null) : null;
}
