/**
 * Part 3 of the scan bench: 10,000 synthetic symbols end to end, in a separate database. Two
 * api + worker pairs on it, each with its own Redis database: one worker as production runs it (a
 * large scan split across SCAN_THREADS worker threads, the machine's cores by default) and one with
 * SCAN_THREADS=1 (the engine inline on the worker's own thread: the single-thread floor). Their
 * warm uncached scans alternate, one each in turn, so both see the same machine.
 */
import { availableParallelism } from 'node:os';
import { memoryOf } from '../kit/machine.js';
import { percentiles } from '../kit/stats.js';
import {
  ensureSynthDb,
  scan,
  startStack,
  stopStack,
  workerMetric,
  type ScanCall,
  type Stack,
} from './e2e.js';
import type { E2eSynth } from './verdicts.js';

export interface SynthSettings {
  databaseUrl: string;
  synthDb: string;
  /** The threaded pair's Redis database, and the inline pair's. */
  redisUrl: string;
  inlineRedisUrl: string;
  ports: { api: number; worker: number; inlineApi: number; inlineWorker: number };
  runs: number;
  universe: { symbols: number; bars: number; seed: number };
}

export async function partSynth(
  s: SynthSettings,
  body: (minTechRating: number) => Record<string, unknown>,
  log: (line: string) => void,
): Promise<E2eSynth> {
  const { symbols, bars, seed } = s.universe;
  const db = await ensureSynthDb(s.databaseUrl, s.synthDb, symbols, bars, seed, log);
  log(`  ${s.synthDb}: ${db.provenance}`);
  const stacks: Stack[] = [];
  try {
    const threaded = await startStack(
      {
        databaseUrl: db.url,
        redisUrl: s.redisUrl,
        apiPort: s.ports.api,
        workerPort: s.ports.worker,
      },
      '10k',
    );
    stacks.push(threaded);
    const pid = threaded.worker.child.pid;
    const idle = memoryOf(pid);
    const cold = await scan(threaded, body(0));
    const loadSeconds = await workerMetric(threaded.worker, 'scan_stage_duration_seconds_sum', {
      stage: 'fetching',
    });
    const afterLoad = memoryOf(pid);
    log(
      `  cold scan: ${(cold.ms / 1000).toFixed(1)} s POST → completed, bar cache load ${loadSeconds?.toFixed(1)} s`,
    );
    const inline = await startStack(
      {
        databaseUrl: db.url,
        redisUrl: s.inlineRedisUrl,
        apiPort: s.ports.inlineApi,
        workerPort: s.ports.inlineWorker,
      },
      '10k inline',
      { SCAN_THREADS: '1' },
    );
    stacks.push(inline);
    await scan(inline, body(0.002)); // its cold load, unmeasured
    // The first warm scan of each, unmeasured; the threaded worker's posts its store to the threads.
    await scan(threaded, body(0.001));
    await scan(inline, body(0.003));
    const warm: ScanCall[] = [];
    const floor: ScanCall[] = [];
    for (let k = 1; k <= s.runs; k++) {
      // Different bodies for the two workers: they share the database, where a run is found again.
      for (const [stack, calls, minTechRating] of [
        [threaded, warm, k / 10],
        [inline, floor, k / 10 + 0.05],
      ] as const) {
        const call = await scan(stack, body(minTechRating));
        if (call.cached || call.metrics.barCacheHit !== true)
          throw new Error(`warm scan ${k} was cached or missed the bar cache`);
        calls.push(call);
      }
    }
    const p = percentiles(warm.map((c) => c.ms));
    const f = percentiles(floor.map((c) => c.ms));
    const afterScans = memoryOf(pid);
    log(
      `  warm uncached × ${warm.length}: p50 ${p.p50.toFixed(0)} ms on ${availableParallelism()} threads, ` +
        `${f.p50.toFixed(0)} ms inline; worker RSS ${((afterScans?.rss ?? NaN) / 1e9).toFixed(2)} GB, ` +
        `peak ${((afterScans?.peak ?? NaN) / 1e9).toFixed(2)} GB`,
    );
    return {
      database: s.synthDb,
      provenance: db.provenance,
      cold,
      loadSeconds,
      warm,
      memory: { idle, afterLoad, afterScans },
      threads: availableParallelism(),
      inline: { warm: floor, memory: memoryOf(inline.worker.child.pid) },
    };
  } finally {
    for (const stack of stacks.reverse()) await stopStack(stack);
  }
}
