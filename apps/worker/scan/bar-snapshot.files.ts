import { createHash, randomBytes, type Hash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { RecordBatchFileWriter } from 'apache-arrow';
import type { BarStore } from '#scan-engine';
import {
  fromArrowBytes,
  SnapshotRejected,
  toArrowTable,
  type SnapshotIdentity,
} from './bar-snapshot.format.js';
import { claimPrefetch, prefetchedBytes } from './bar-snapshot.prefetch.js';
import { readShared, SLICE_BYTES } from './bar-snapshot.read.js';

/** `bars-v<data version>-<SHA-256 of the whole file, hex>.arrow` */
const NAME = /^bars-v(\d+)-([0-9a-f]{64})\.arrow$/;
const TEMP = /^bars-v\d+\.[^.]+\.tmp$/;
/** A temp file this old was left by a writer that died: nobody renames it any more. */
const ABANDONED_TEMP_MS = 60 * 60 * 1000;

export type SnapshotRead =
  | { store: BarStore; bytes: number }
  | { store: null; reason: 'missing' | 'rejected'; detail?: string };

/**
 * Bar-cache snapshots on disk, one Arrow IPC file per data version in `dir`, named
 * `bars-v<N>-<sha256>.arrow`: the SHA-256 of the whole file is in its name, so one rename publishes
 * file and checksum together, and a reader verifies every byte before Arrow parses any (Arrow's
 * reader can loop forever on a damaged header). A reader takes the whole file in one read into a
 * SharedArrayBuffer (the columns are views over it, so worker threads can share them); a writer
 * writes a temp file, fsyncs it and renames it into place, so concurrent writers (processes on one
 * host, or hosts sharing a volume) never leave a torn file. Writers of one version produce the
 * same bytes (Arrow's writer is deterministic), hence the same name: the last rename wins.
 */
export class BarSnapshots {
  private readonly logger = new Logger(BarSnapshots.name);

  /** @param keep how many versions' files to keep (the newest ones). */
  constructor(
    readonly dir: string,
    private readonly keep = 2,
  ) {}

  /** The files that claim to hold `dataVersion`, newest first (normally one). */
  async filesOf(dataVersion: number): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const mine = names.filter((n) => Number(NAME.exec(n)?.[1]) === dataVersion);
    const withTimes = await Promise.all(
      mine.map(async (n) => ({
        n,
        t: (await stat(join(this.dir, n)).catch(() => null))?.mtimeMs ?? 0,
      })),
    );
    return withTimes.sort((a, b) => b.t - a.t).map(({ n }) => join(this.dir, n));
  }

  /** The snapshot of `expected`, or why there is none (missing, or rejected: stale or corrupt). */
  async read(expected: SnapshotIdentity): Promise<SnapshotRead> {
    // The file the process started reading as it booted (main.ts), used if it is one of these.
    const prefetch = claimPrefetch();
    const files = await this.filesOf(expected.dataVersion);
    if (files.length === 0) return { store: null, reason: 'missing' };
    const problems: string[] = [];
    for (const path of files) {
      try {
        const { bytes, sha256 } =
          (await prefetchedBytes(prefetch, path)) ?? (await readShared(path));
        if (sha256 !== NAME.exec(basename(path))![2])
          throw new SnapshotRejected('its SHA-256 differs from the one in its name');
        return { store: fromArrowBytes(bytes, expected), bytes: bytes.byteLength };
      } catch (error) {
        const detail = error instanceof SnapshotRejected ? error.message : `${error as Error}`;
        problems.push(`${basename(path)}: ${detail}`);
      }
    }
    return { store: null, reason: 'rejected', detail: problems.join('; ') };
  }

  /**
   * Writes the snapshot of `store` for `identity` atomically, then removes other files of this
   * version, older versions' files (keeping the newest `keep`) and temp files abandoned by writers
   * that died. Returns the file's path and size.
   */
  async write(
    store: BarStore,
    identity: SnapshotIdentity,
  ): Promise<{ path: string; bytes: number }> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(
      this.dir,
      `bars-v${identity.dataVersion}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    const hash = createHash('sha256');
    const file = await open(temp, 'wx');
    let size = 0;
    try {
      // The writer yields the file in pieces that view the columns: no second copy of the bars.
      for await (const chunk of RecordBatchFileWriter.writeAll(toArrowTable(store, identity))) {
        await file.write(chunk);
        await hashInSlices(hash, chunk);
        size += chunk.byteLength;
      }
      await file.sync();
    } catch (error) {
      await file.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
    await file.close();
    const path = join(this.dir, `bars-v${identity.dataVersion}-${hash.digest('hex')}.arrow`);
    await rename(temp, path);
    await syncDir(this.dir);
    await this.prune(identity.dataVersion, basename(path));
    return { path, bytes: size };
  }

  /**
   * Keeps `current` (the file just written) and the newest other versions up to `keep` versions in
   * all; removes the rest, and temp files older than an hour.
   */
  async prune(currentVersion: number, currentName: string): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const versions = [...new Set(names.map((n) => Number(NAME.exec(n)?.[1] ?? NaN)))]
      .filter((v) => Number.isInteger(v))
      // Versions only grow: one above `current` is another (or a reset) database's leftover.
      .filter((v) => v < currentVersion)
      .sort((a, b) => b - a)
      .slice(0, this.keep - 1);
    for (const name of names) {
      const version = Number(NAME.exec(name)?.[1] ?? NaN);
      if (Number.isInteger(version)) {
        const keep = version === currentVersion ? name === currentName : versions.includes(version);
        if (!keep) await this.remove(name);
      } else if (TEMP.test(name)) {
        const info = await stat(join(this.dir, name)).catch(() => null);
        if (info && Date.now() - info.mtimeMs > ABANDONED_TEMP_MS) await this.remove(name);
      }
    }
  }

  private async remove(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true }).catch((error: unknown) =>
      this.logger.warn({ err: error, file: name }, 'could not remove an old bar snapshot'),
    );
  }
}

/** Adds `bytes` to `hash` a slice at a time, yielding between slices (the lock renewal runs). */
async function hashInSlices(hash: Hash, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    hash.update(bytes.subarray(at, at + SLICE_BYTES));
    if (bytes.length > SLICE_BYTES) await yieldToEventLoop();
  }
}

/** fsync of the directory, so the rename itself survives a crash of the host. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself was synced.
  } finally {
    await handle.close();
  }
}
