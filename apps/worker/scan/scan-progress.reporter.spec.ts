import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanHit, ScanProgress } from '#jobs';
import { PARTIAL_HITS, PROGRESS_EVERY_MS, ScanProgressReporter } from './scan-progress.reporter.js';

/** A reporter on a clock the test moves by hand, recording the frames it sends. */
function reporter(previous: unknown = null) {
  let now = 1000;
  const frames: ScanProgress[] = [];
  const progress = new ScanProgressReporter(
    async (frame) => void frames.push(frame),
    () => now,
    previous,
  );
  return { progress, frames, advance: (ms: number) => (now += ms) };
}

const hits = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ rank: i + 1, symbol: `S${i}` }) as ScanHit);

describe('ScanProgressReporter', () => {
  it('sends one frame as loading and fetching start: 0 % and 5 %, nothing scanned yet', async () => {
    const { progress, frames } = reporter();
    progress.enter('loading');
    progress.enter('fetching');
    assert.deepEqual(frames, [
      {
        stage: 'loading',
        percent: 0,
        symbolsScanned: 0,
        universeSize: 0,
        etaSeconds: null,
        partial: [],
      },
      {
        stage: 'fetching',
        percent: 5,
        symbolsScanned: 0,
        universeSize: 0,
        etaSeconds: null,
        partial: [],
      },
    ]);
  });

  it('maps scanning onto 25 % to 95 % and estimates the time left from the pace so far', async () => {
    const { progress, frames, advance } = reporter();
    progress.startScanning();
    advance(1000);
    progress.scanned(100, 400, () => []);
    assert.deepEqual(frames, [
      {
        stage: 'scanning',
        percent: 42.5,
        symbolsScanned: 100,
        universeSize: 400,
        etaSeconds: 3,
        partial: [],
      },
    ]);
  });

  it('sends at most one scanning frame every 10 ms, and builds the partial hits only for frames sent', async () => {
    const { progress, frames, advance } = reporter();
    progress.enter('fetching');
    progress.startScanning();
    let built = 0;
    const partial = (limit: number) => (built++, hits(limit));
    advance(PROGRESS_EVERY_MS - 1);
    progress.scanned(10, 100, partial);
    advance(1);
    progress.scanned(20, 100, partial);
    advance(3);
    progress.scanned(30, 100, partial);
    assert.deepEqual(
      frames.map((f) => `${f.stage} ${f.symbolsScanned}`),
      ['fetching 0', 'scanning 20'],
    );
    assert.equal(built, 1);
  });

  it('asks for at most 25 partial hits while scanning, and keeps the top 25 when finalizing', async () => {
    const { progress, frames } = reporter();
    progress.startScanning();
    let asked = 0;
    progress.scanned(1, 2, (limit) => ((asked = limit), hits(limit)));
    progress.finalizing(2, 2, hits(40));
    assert.equal(asked, PARTIAL_HITS);
    assert.deepEqual(frames.at(-1), {
      stage: 'finalizing',
      percent: 95,
      symbolsScanned: 2,
      universeSize: 2,
      etaSeconds: 0,
      partial: hits(25),
    });
  });

  it('counts an empty universe as fully scanned', async () => {
    const { progress, frames } = reporter();
    progress.startScanning();
    progress.scanned(0, 0, () => []);
    assert.equal(frames[0]!.percent, 95);
  });

  it('refuses to move back to an earlier stage', async () => {
    const { progress } = reporter();
    progress.finalizing(0, 0, []);
    assert.throws(() => progress.enter('fetching'), /cannot go back from finalizing to fetching/);
  });

  it('measures the total from its creation', () => {
    const { progress, advance } = reporter();
    advance(42);
    assert.equal(progress.elapsedMs(), 42);
  });

  describe('a retried attempt', () => {
    const previous = { stage: 'scanning', percent: 70, symbolsScanned: 321, universeSize: 500 };

    it('reports nothing until it passes the last report of the attempt before, then everything', async () => {
      const { progress, frames, advance } = reporter(previous);
      progress.enter('loading');
      progress.enter('fetching');
      progress.startScanning();
      for (const scanned of [100, 300, 400]) {
        advance(PROGRESS_EVERY_MS);
        progress.scanned(scanned, 500, () => []);
      }
      progress.finalizing(500, 500, []);
      assert.deepEqual(
        frames.map((f) => `${f.stage} ${f.percent}`),
        ['scanning 81', 'finalizing 95'],
      );
    });

    it('does not repeat the finalizing frame an attempt that died while writing already sent', async () => {
      const { progress, frames } = reporter({ ...previous, stage: 'finalizing', percent: 95 });
      progress.enter('loading');
      progress.finalizing(300, 500, []);
      assert.deepEqual(frames, []);
    });

    it('ignores a stored progress that is no report (a first attempt, or foreign data)', async () => {
      for (const stored of [null, 0, 'x', { stage: 'dancing', percent: 50 }]) {
        const { progress, frames } = reporter(stored);
        progress.enter('loading');
        assert.equal(frames.length, 1, JSON.stringify(stored));
      }
    });
  });
});
