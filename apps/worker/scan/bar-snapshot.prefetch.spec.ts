import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { claimPrefetch, prefetchedBytes, prefetchNewestSnapshot } from './bar-snapshot.prefetch.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A directory of files named as snapshots (their content need not be Arrow here). */
function snapshotDir(files: Record<number, string>): {
  dir: string;
  paths: Record<number, string>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'bar-prefetch-'));
  dirs.push(dir);
  const paths: Record<number, string> = {};
  for (const [version, text] of Object.entries(files)) {
    const sha = createHash('sha256').update(text).digest('hex');
    paths[Number(version)] = join(dir, `bars-v${version}-${sha}.arrow`);
    writeFileSync(paths[Number(version)]!, text);
  }
  writeFileSync(join(dir, 'bars-v9.123-abcd.tmp'), 'a writer that died');
  return { dir, paths };
}

describe('prefetchNewestSnapshot (read at boot on a thread of its own)', () => {
  it('reads the newest version’s file, hashed, onto a SharedArrayBuffer, once', async () => {
    const { dir, paths } = snapshotDir({ 3: 'version three', 12: 'version twelve', 4: 'four' });
    prefetchNewestSnapshot(dir);
    const prefetch = claimPrefetch();
    assert.equal(claimPrefetch(), null, 'claimed once');
    const got = await prefetchedBytes(prefetch, paths[12]!);
    assert.ok(got);
    assert.ok(got.bytes.buffer instanceof SharedArrayBuffer);
    assert.equal(Buffer.from(got.bytes).toString(), 'version twelve');
    assert.equal(got.sha256, createHash('sha256').update('version twelve').digest('hex'));
    assert.equal(
      await prefetchedBytes(prefetch, paths[3]!),
      null,
      'another file: read it yourself',
    );
  });

  it('is not used for a file changed since it was read', async () => {
    const { dir, paths } = snapshotDir({ 5: 'as it was' });
    prefetchNewestSnapshot(dir);
    const prefetch = claimPrefetch();
    writeFileSync(paths[5]!, 'rewritten');
    utimesSync(paths[5]!, new Date(), new Date(Date.now() + 5_000));
    assert.equal(await prefetchedBytes(prefetch, paths[5]!), null);
    assert.equal(readFileSync(paths[5]!, 'utf8'), 'rewritten');
  });

  it('does nothing without a directory or a snapshot in it', () => {
    prefetchNewestSnapshot(join(tmpdir(), 'no-such-bar-snapshot-dir'));
    assert.equal(claimPrefetch(), null);
    const { dir } = snapshotDir({});
    prefetchNewestSnapshot(dir);
    assert.equal(claimPrefetch(), null);
  });
});
