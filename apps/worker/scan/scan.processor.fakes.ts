import type { NormalizedScanRequest, ScanHit, ScanJobPayloadV2, ScanProgress } from '#jobs';
import { BarStoreBuilder } from '#scan-engine';
import type { BarCacheLoader, InstrumentRow, LoadedUniverse } from './bar-cache.loader.js';
import type { ScanResultsWriter } from './scan-results.writer.js';
import { ScanProcessor } from './scan.processor.js';

/**
 * Hand-made fakes for ScanProcessor's specs: a loader holding a small in-memory universe, a writer
 * keeping runs in a Map with the real writer's rules, a job recording its progress.
 */

export const RUN_ID = '00000000-0000-4000-8000-000000000001';
export const SYMBOLS = 60;

/** 60 calm, liquid, rising symbols with 260 weekday bars each: enough history, several engine chunks. */
function universe(dataVersion: number): LoadedUniverse {
  const builder = new BarStoreBuilder(SYMBOLS * 260);
  const instruments: InstrumentRow[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `T${String(s).padStart(2, '0')}`;
    instruments.push({
      symbol,
      name: `Test ${s}`,
      sector: s % 2 ? 'Energy' : 'Utilities',
      active: true,
    });
    const day = new Date(Date.UTC(2017, 0, 2));
    for (let k = 0; k < 260; day.setUTCDate(day.getUTCDate() + 1)) {
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const close = (20 + s) * (1 + 0.002 * k) * (1 + 0.01 * Math.sin(k / 4 + s));
      const date = day.getUTCFullYear() * 10000 + (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
      builder.append(
        symbol,
        date,
        close * 0.998,
        close * 1.006,
        close * 0.994,
        close,
        1e6 + 1e4 * s,
      );
      k++;
    }
  }
  const store = builder.build();
  return {
    source: 'postgres',
    dataVersion,
    store,
    instruments,
    indexOf: new Map(store.symbols.map((s, i) => [s, i])),
    loadMs: 0,
  };
}

/** Holds one universe, like the bar cache after its first load. */
class FakeLoader {
  readonly asked: string[] = [];
  /** Runs before a load answers, once: a spec's way to stall an attempt in the middle of its run. */
  beforeLoad: (() => Promise<void>) | null = null;
  constructor(private readonly held: LoadedUniverse) {}
  async versionFor(requested: number): Promise<number> {
    this.asked.push(`versionFor ${requested}`);
    return this.held.dataVersion;
  }
  async load(version: number): Promise<{ universe: LoadedUniverse; cacheHit: boolean }> {
    this.asked.push(`load ${version}`);
    const stall = this.beforeLoad;
    this.beforeLoad = null;
    await stall?.();
    return { universe: this.held, cacheHit: true };
  }
}

/**
 * scan_runs in a Map, with the writer's rules: start claims only queued or running runs and counts
 * the attempt (its claim); complete writes only for the latest claim of a running run.
 */
export class FakeWriter {
  readonly status = new Map<string, string>();
  readonly attempts = new Map<string, number>();
  readonly completed: {
    scanRunId: string;
    attempt: number;
    hits: ScanHit[];
    summary: Record<string, unknown>;
  }[] = [];
  readonly failed: { scanRunId: string; error: string }[] = [];
  async start(scanRunId: string): Promise<number | null> {
    const status = this.status.get(scanRunId);
    if (status !== 'queued' && status !== 'running') return null;
    this.status.set(scanRunId, 'running');
    const attempt = (this.attempts.get(scanRunId) ?? 0) + 1;
    this.attempts.set(scanRunId, attempt);
    return attempt;
  }
  async complete(
    scanRunId: string,
    attempt: number,
    hits: ScanHit[],
    summary: Record<string, unknown>,
  ): Promise<boolean> {
    if (this.status.get(scanRunId) !== 'running' || this.attempts.get(scanRunId) !== attempt)
      return false;
    this.status.set(scanRunId, 'completed');
    this.completed.push({ scanRunId, attempt, hits, summary });
    return true;
  }
  async fail(scanRunId: string, error: string): Promise<void> {
    if (this.status.get(scanRunId) !== 'completed') this.status.set(scanRunId, 'failed');
    this.failed.push({ scanRunId, error });
  }
}

export const request = (overrides: Partial<NormalizedScanRequest> = {}): NormalizedScanRequest => ({
  sectors: null,
  symbols: null,
  maxSymbols: 10,
  minTechRating: 0,
  profile: 'aggressive',
  direction: 'both',
  asOf: null,
  asOfRequested: null,
  accountSize: 10_000,
  riskPct: 1,
  targetRR: 2,
  ...overrides,
});

export const payload = (overrides: Partial<ScanJobPayloadV2> = {}): ScanJobPayloadV2 => ({
  v: 2,
  requestId: 'req-1',
  scanRunId: RUN_ID,
  dataVersion: 3,
  request: request(),
  ...overrides,
});

/** A job recording its progress; `onProgress` runs before each frame is taken (a slow Redis). */
export function fakeJob(
  data: unknown,
  attemptsMade = 0,
  onProgress: (frame: ScanProgress) => Promise<void> = async () => {},
) {
  const frames: ScanProgress[] = [];
  return {
    frames,
    job: {
      data,
      attemptsMade,
      updateProgress: async (frame: unknown) => {
        await onProgress(frame as ScanProgress);
        frames.push(frame as ScanProgress);
      },
    },
  };
}

export function setUp(runStatus = 'queued', dataVersion = 3) {
  const loader = new FakeLoader(universe(dataVersion));
  const writer = new FakeWriter();
  writer.status.set(RUN_ID, runStatus);
  const processor = new ScanProcessor(
    loader as unknown as BarCacheLoader,
    writer as unknown as ScanResultsWriter,
  );
  return { loader, writer, processor };
}
