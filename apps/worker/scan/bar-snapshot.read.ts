import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Reads and hashes are done in slices of this size (hashing 0.5 GB at once holds a thread ~0.3 s). */
export const SLICE_BYTES = 32 * 1024 * 1024;

/** A snapshot file's bytes, on a SharedArrayBuffer, and their SHA-256 (hex). */
export interface SnapshotBytes {
  bytes: Uint8Array;
  sha256: string;
}

/**
 * The whole file in one SharedArrayBuffer and its SHA-256, in one pass: each piece is hashed while
 * the next one is read in the thread pool, so the two overlap. Imports only Node's own modules:
 * the prefetch thread (bar-snapshot.prefetch-thread.ts) runs it while the worker's modules load.
 */
export async function readShared(path: string): Promise<SnapshotBytes> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    const hash = createHash('sha256');
    const readAt = (at: number) => file.read(bytes, at, Math.min(size - at, SLICE_BYTES), at);
    let at = 0;
    let pending = size > 0 ? readAt(0) : null;
    while (pending) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) throw new Error(`snapshot shorter than its size (${at} of ${size})`);
      const piece = bytes.subarray(at, at + bytesRead);
      at += bytesRead;
      pending = at < size ? readAt(at) : null;
      hash.update(piece);
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await file.close();
  }
}
