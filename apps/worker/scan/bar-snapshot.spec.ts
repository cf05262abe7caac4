import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BarStoreBuilder, type BarStore } from '#scan-engine';
import { BarSnapshots } from './bar-snapshot.files.js';

/** Three symbols of uneven lengths (one with no bars at all would not be in a store). */
function sampleStore(): BarStore {
  const builder = new BarStoreBuilder(4);
  const rows: [string, number][] = [
    ['AAPL', 5],
    ['BRK.B', 1],
    ['MSFT', 7],
  ];
  let k = 0;
  for (const [symbol, count] of rows)
    for (let d = 0; d < count; d++, k++)
      builder.append(symbol, 20240102 + d, 10 + k, 11 + k, 9 + k, 10.5 + k * 1.25, 1e6 + k);
  return builder.build();
}

const ID = { dataVersion: 7, fingerprint: '7/synthetic/abc/1765000000000000' };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bar-snapshot-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Plain arrays of every column, to compare stores whatever their buffers. */
const plain = (s: BarStore) => ({
  symbols: s.symbols,
  ...Object.fromEntries(
    (['offsets', 'dates', 'open', 'high', 'low', 'close', 'volume'] as const).map((c) => [
      c,
      Array.from(s[c]),
    ]),
  ),
});

describe('BarSnapshots', () => {
  it('reads back the store it wrote, column for column, with SharedArrayBuffer-backed columns', async () => {
    const snapshots = new BarSnapshots(tempDir());
    const store = sampleStore();
    const { path, bytes } = await snapshots.write(store, ID);
    assert.match(path, /bars-v7-[0-9a-f]{64}\.arrow$/);
    assert.ok(bytes > 0);
    const read = await snapshots.read(ID);
    assert.ok(read.store, 'the snapshot is read');
    assert.deepEqual(plain(read.store), plain(store));
    for (const c of ['offsets', 'dates', 'open', 'high', 'low', 'close', 'volume'] as const)
      assert.ok(read.store[c].buffer instanceof SharedArrayBuffer, `${c} is a view over the SAB`);
  });

  it('says missing when no worker wrote the version yet', async () => {
    const read = await new BarSnapshots(tempDir()).read(ID);
    assert.deepEqual(read, { store: null, reason: 'missing' });
  });

  it('rejects a truncated file', async () => {
    const snapshots = new BarSnapshots(tempDir());
    const { path } = await snapshots.write(sampleStore(), ID);
    const bytes = readFileSync(path);
    for (const keep of [0, 8, bytes.length >> 1, bytes.length - 1]) {
      writeFileSync(path, bytes.subarray(0, keep));
      const read = await snapshots.read(ID);
      assert.equal(read.store, null, `cut at ${keep} of ${bytes.length} bytes`);
      assert.equal(read.store === null && read.reason, 'rejected');
    }
  });

  it('never returns other bars than it wrote, whichever byte of the file is flipped', async () => {
    const snapshots = new BarSnapshots(tempDir());
    const store = sampleStore();
    const { path } = await snapshots.write(store, ID);
    const bytes = readFileSync(path);
    let rejected = 0;
    for (let at = 0; at < bytes.length; at++) {
      const flipped = Buffer.from(bytes);
      flipped[at]! ^= 0x10;
      writeFileSync(path, flipped);
      const read = await snapshots.read(ID);
      if (read.store === null) rejected++;
      // A flip in padding or an unused header field changes nothing: then the bars are the same.
      else assert.deepEqual(plain(read.store), plain(store), `byte ${at} flipped`);
    }
    assert.equal(rejected, bytes.length, 'the SHA-256 in the name covers every byte');
  });

  it('rejects a flipped price by its SHA-256', async () => {
    const snapshots = new BarSnapshots(tempDir());
    const store = sampleStore();
    store.close[4] = 123.456;
    const { path } = await snapshots.write(store, ID);
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from(new Float64Array([123.456]).buffer));
    assert.ok(at > 0, 'the price is in the file as written');
    bytes[at]! ^= 1;
    writeFileSync(path, bytes);
    const read = await snapshots.read(ID);
    assert.equal(read.store, null);
    assert.match(read.store === null ? (read.detail ?? '') : '', /SHA-256/);
  });

  it('rejects a snapshot of another data version, or of the same number in another database', async () => {
    const snapshots = new BarSnapshots(tempDir());
    const { path } = await snapshots.write(sampleStore(), ID);
    // A file named for version 8 but holding version 7 (a copy, a rename by hand): intact bytes.
    writeFileSync(path.replace('bars-v7-', 'bars-v8-'), readFileSync(path));
    const other = await snapshots.read({ dataVersion: 8, fingerprint: ID.fingerprint });
    assert.match(other.store === null ? (other.detail ?? '') : 'read', /data version 7/);
    const reset = await snapshots.read({ ...ID, fingerprint: '7/synthetic/abc/1766000000000000' });
    assert.match(reset.store === null ? (reset.detail ?? '') : 'read', /fingerprint/);
  });

  it('keeps the newest two versions and removes older ones, leftovers above and abandoned temp files', async () => {
    const dir = tempDir();
    const snapshots = new BarSnapshots(dir);
    const sha = (c: string) => c.repeat(64);
    const names = [3, 5, 12].map((v) => `bars-v${v}-${sha('a')}.arrow`);
    for (const name of [...names, `bars-v9-${sha('b')}.arrow`, 'notes.txt'])
      writeFileSync(join(dir, name), 'x');
    writeFileSync(join(dir, 'bars-v9.77-aa.tmp'), 'dead writer');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(dir, 'bars-v9.77-aa.tmp'), old, old);
    writeFileSync(join(dir, 'bars-v9.78-bb.tmp'), 'a writer at work');
    const { path } = await snapshots.write(sampleStore(), { ...ID, dataVersion: 9 });
    assert.deepEqual(
      readdirSync(dir).sort(),
      [`bars-v5-${sha('a')}.arrow`, basename(path), 'bars-v9.78-bb.tmp', 'notes.txt'].sort(),
    );
  });

  it('leaves one whole file when writers of the same version race', async () => {
    const dir = tempDir();
    const store = sampleStore();
    await Promise.all(Array.from({ length: 4 }, () => new BarSnapshots(dir).write(store, ID)));
    assert.equal(readdirSync(dir).length, 1, 'one file, no temp file left');
    const read = await new BarSnapshots(dir).read(ID);
    assert.ok(read.store);
    assert.deepEqual(plain(read.store), plain(store));
  });
});
