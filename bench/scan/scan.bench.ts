/**
 * `npm run bench:scan`: the scan budgets of DESIGN §8 in one run on one machine.
 *
 *  1. Engine alone, in process: a whole ScanRun vs a tight single-pass floor over the same arrays
 *     vs talib, tulind, technicalindicators and trading-signals computing the same indicators, on
 *     the 505 real symbols and on 10,000 synthetic symbols × 1,260 bars.
 *  2. End to end, 505 symbols: the real api and worker (NODE_ENV=production) on the dev database,
 *     POST /v1/scans?wait=30 → completed, uncached (warm bar cache) and cached.
 *  3. End to end, 10,000 synthetic symbols in a separate database: cold first scan (bar-cache
 *     load), warm uncached scans on the worker's threads beside a SCAN_THREADS=1 worker's (the
 *     single-thread floor), the worker's RSS (synth.ts).
 *  2b. When the 505-symbol round trip misses its budget: where its time goes, from traces (breakdown.ts).
 *  5. A worker's cold start to its first scan, with and without the bar snapshot (cold-start.ts; its
 *     own subsection, and the budget table's row).
 *  4. The cost of tracing: untraced vs traced stacks, alternately (tracing.ts; its own section).
 *
 * Writes its section of docs/benchmarks.md (between the bench:scan markers), docs/img/scan-bench.svg
 * and bench/out/scan.json (raw figures). Performance is checked here and only here.
 *
 * Env (all optional): DATABASE_URL (the dev database with the embedded data; default
 * postgres://scanner:scanner@127.0.0.1:5432/scanner); BENCH_SCAN_REDIS_URL / BENCH_SCAN_SYNTH_REDIS_URL
 * (redis://127.0.0.1:6379/9 and /10: the bench refuses a database another client is connected to, flushes it
 * before and after); BENCH_SCAN_SYNTH_INLINE_REDIS_URL (/13, the SCAN_THREADS=1 pair's);
 * BENCH_SCAN_SYNTH_DB (scanner_bench_synth); BENCH_PORT_SCAN_API / _WORKER / _SYNTH_API / _SYNTH_WORKER
 * (4101…4104); BENCH_PORT_SCAN_SYNTH_INLINE_API / _WORKER (4107, 4108); BENCH_SCAN_UNCACHED (60), BENCH_SCAN_CACHED (500), BENCH_SCAN_SYNTH_RUNS (10);
 * BENCH_LOAD_WAIT (the longest total wait, before the parts, for a 1-minute load average below BENCH_LOAD_MAX, s, 600;
 * BENCH_LOAD_MAX 2.5); BENCH_SCAN_PARTS (micro,e2e,breakdown,synth,coldstart,tracing: without one of micro, e2e, synth, no
 * docs for them); BENCH_SCAN_BREAKDOWN_RUNS (30: traced uncached scans explaining a missed round-trip budget).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { busyCores, machineInfo, machineTimes, memoryOf, waitForLowLoad } from '../kit/machine.js';
import { reportDate } from '../kit/markdown.js';
import { root, runBench } from '../kit/processes.js';
import { percentiles } from '../kit/stats.js';
import { ROUND_TRIP_BUDGETS } from './budget-table.js';
import { traceBreakdown } from './breakdown.js';
import { renderChart } from './chart.js';
import { coldStartFigure, coldStartSettings, measureColdStart, writeColdStartSection } from './cold-start.js';
import { loadRealStore, syntheticStore } from './data.js';
import {
  scan,
  serverTime,
  startStack,
  stopStack,
  type ScanCall,
} from './e2e.js';
import { runMicro, type MicroResult, type MicroSettings } from './micro.js';
import { loadPeers } from './peers.js';
import { renderSection, writeScanSection } from './report.js';
import { partSynth } from './synth.js';
import { partTracing, tracingSettings, writeScanTracingSection } from './tracing.js';
import type { E2eReal, LoadNote, ScanReport } from './verdicts.js';

const env = (name: string, fallback: string) => process.env[name] || fallback;
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);

const SYNTH = { symbols: 10_000, bars: 1_260, seed: 1 };
const settings = {
  databaseUrl: env('DATABASE_URL', 'postgres://scanner:scanner@127.0.0.1:5432/scanner'),
  redisUrl: env('BENCH_SCAN_REDIS_URL', 'redis://127.0.0.1:6379/9'),
  synthRedisUrl: env('BENCH_SCAN_SYNTH_REDIS_URL', 'redis://127.0.0.1:6379/10'),
  synthInlineRedisUrl: env('BENCH_SCAN_SYNTH_INLINE_REDIS_URL', 'redis://127.0.0.1:6379/13'),
  synthDb: env('BENCH_SCAN_SYNTH_DB', 'scanner_bench_synth'),
  ports: {
    api: num('BENCH_PORT_SCAN_API', 4101),
    worker: num('BENCH_PORT_SCAN_WORKER', 4102),
    synthApi: num('BENCH_PORT_SCAN_SYNTH_API', 4103),
    synthWorker: num('BENCH_PORT_SCAN_SYNTH_WORKER', 4104),
    synthInlineApi: num('BENCH_PORT_SCAN_SYNTH_INLINE_API', 4107),
    synthInlineWorker: num('BENCH_PORT_SCAN_SYNTH_INLINE_WORKER', 4108),
  },
  uncached: num('BENCH_SCAN_UNCACHED', 60),
  cached: num('BENCH_SCAN_CACHED', 500),
  synthRuns: num('BENCH_SCAN_SYNTH_RUNS', 10),
  breakdownRuns: num('BENCH_SCAN_BREAKDOWN_RUNS', 30),
  loadWaitSeconds: num('BENCH_LOAD_WAIT', 600),
  loadMax: num('BENCH_LOAD_MAX', 2.5),
  parts: new Set(env('BENCH_SCAN_PARTS', 'micro,e2e,breakdown,synth,coldstart,tracing').split(',')),
};
const micro: MicroSettings = {
  engineWarmups: 5,
  engineRuns: 15,
  engineSeconds: 6,
  peerWarmups: 1,
  peerRuns: 3,
  peerFullSetLimitMs: 20_000,
  sampleSize: 500,
};

const log = (line: string) => console.log(line);
/** Seconds of BENCH_LOAD_WAIT not yet spent waiting, shared by all parts. */
let loadWaitLeft = settings.loadWaitSeconds;
/** Request bodies no earlier run can have stored: the account size carries this run's nonce. */
const nonce = Math.floor(Date.now() / 1000) % 10_000_000;
const body = (minTechRating: number) => ({ minTechRating, accountSize: 10_000 + nonce });

/**
 * Runs `part` once the machine is calm enough (see waitForLowLoad), noting the load average at its
 * start and the machine's busy cores during it.
 */
async function noted<T>(notes: LoadNote[], part: string, fn: () => Promise<T>): Promise<T> {
  const waitedSeconds = await waitForLowLoad(settings.loadMax, loadWaitLeft, part, log);
  // BENCH_LOAD_WAIT is a budget for the whole run, shared by all parts.
  loadWaitLeft = Math.max(0, loadWaitLeft - waitedSeconds);
  const before = machineTimes();
  const load1 = os.loadavg()[0]!;
  log(`${part} (load average ${load1.toFixed(2)})`);
  const result = await fn();
  const after = machineTimes();
  notes.push({
    part,
    load1,
    waitedSeconds,
    busyCores: busyCores(before, after),
  });
  return result;
}

async function partMicro(): Promise<{
  sets: MicroResult[];
  unavailable: { name: string; reason: string }[];
}> {
  const { peers, unavailable } = loadPeers();
  for (const u of unavailable) log(`  peer ${u.name} unavailable: ${u.reason}`);
  const estimates = new Map<string, number>();
  const real = await loadRealStore(`${root}data`);
  const sets = [runMicro(real, peers, micro, estimates, log)];
  log(
    `  generating ${SYNTH.symbols} synthetic symbols × ${SYNTH.bars} bars (seed ${SYNTH.seed}) in memory`,
  );
  sets.push(
    runMicro(syntheticStore(SYNTH.symbols, SYNTH.bars, SYNTH.seed), peers, micro, estimates, log),
  );
  return { sets, unavailable };
}

async function partReal(): Promise<E2eReal> {
  const stack = await startStack(
    {
      databaseUrl: settings.databaseUrl,
      redisUrl: settings.redisUrl,
      apiPort: settings.ports.api,
      workerPort: settings.ports.worker,
    },
    '505',
  );
  try {
    // The first scan loads the worker's bar cache; a few more warm the JIT of both processes.
    const first = await scan(stack, body(0));
    log(
      `  first scan (bar cache load): ${first.ms.toFixed(0)} ms, ${first.symbolsScanned} symbols`,
    );
    for (let k = 1; k <= 5; k++) await scan(stack, body(k / 1000));
    const uncached: ScanCall[] = [];
    for (let k = 1; k <= settings.uncached; k++) {
      const call = await scan(stack, body(k / 10));
      if (call.cached || call.metrics.barCacheHit !== true)
        throw new Error(`uncached scan ${k} was cached (${call.cached}) or missed the bar cache`);
      uncached.push(call);
    }
    const p = percentiles(uncached.map((c) => c.ms));
    log(`  uncached × ${uncached.length}: p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms`);
    // One repeat turns the stored result into a Redis cache entry; every call after it is a cache hit.
    await scan(stack, body(0.1));
    const cached: ScanCall[] = [];
    const liveServer: number[] = [];
    for (let k = 0; k < settings.cached; k++) {
      const call = await scan(stack, body(0.1));
      if (!call.cached)
        throw new Error(`repeat ${k} of a cached body was not answered from the cache`);
      cached.push(call);
      // Side by side: the least a request costs on this api, at the same moment.
      liveServer.push(await serverTime(stack, '/health/live'));
    }
    const c = percentiles(cached.map((x) => x.serverMs ?? NaN));
    log(
      `  cached × ${cached.length}: server p50 ${c.p50.toFixed(2)} ms, p95 ${c.p95.toFixed(2)} ms`,
    );
    return {
      symbols: first.symbolsScanned,
      firstMs: first.ms,
      uncached,
      cached,
      liveServer,
      workerMemory: memoryOf(stack.worker.child.pid),
    };
  } finally {
    await stopStack(stack);
  }
}

async function main(): Promise<void> {
  const atStart = os.loadavg()[0]!;
  const notes: LoadNote[] = [];
  const started = Date.now();
  const microResult = settings.parts.has('micro')
    ? await noted(notes, '1. engine vs floor vs peers', partMicro)
    : null;
  const real = settings.parts.has('e2e')
    ? await noted(notes, '2. end to end, 505 symbols', partReal)
    : null;
  // A missed round-trip budget is explained from traces: a traced stack on the same settings.
  const breakdown =
    real &&
    settings.parts.has('breakdown') &&
    percentiles(real.uncached.map((c) => c.ms)).p50 > ROUND_TRIP_BUDGETS.uncachedP50Ms
      ? await noted(notes, '2b. trace breakdown of uncached scans', () =>
          traceBreakdown(
            {
              databaseUrl: settings.databaseUrl,
              redisUrl: settings.redisUrl,
              apiPort: settings.ports.api,
              workerPort: settings.ports.worker,
            },
            (x) => ({ minTechRating: x, accountSize: 20_000 + nonce }),
            settings.breakdownRuns,
          ),
        )
      : undefined;
  const synth = settings.parts.has('synth')
    ? await noted(notes, '3. end to end, 10,000 symbols', () =>
        partSynth(
          {
            databaseUrl: settings.databaseUrl,
            synthDb: settings.synthDb,
            redisUrl: settings.synthRedisUrl,
            inlineRedisUrl: settings.synthInlineRedisUrl,
            ports: {
              api: settings.ports.synthApi,
              worker: settings.ports.synthWorker,
              inlineApi: settings.ports.synthInlineApi,
              inlineWorker: settings.ports.synthInlineWorker,
            },
            runs: settings.synthRuns,
            universe: SYNTH,
          },
          body,
          log,
        ),
      )
    : null;
  const cold = settings.parts.has('coldstart')
    ? await noted(notes, '5. worker cold start, 10,000 symbols', () =>
        measureColdStart(coldStartSettings(), log),
      )
    : null;
  if (cold) await writeColdStartSection(cold);
  if (settings.parts.has('tracing'))
    writeScanTracingSection(
      `${root}docs/benchmarks.md`,
      await noted(notes, '4. cost of tracing', () =>
        partTracing(tracingSettings(settings), body, log),
      ),
    );

  const date = reportDate();
  const report: Partial<ScanReport> = {
    date,
    command: 'npm run bench:scan',
    machine: machineInfo(),
    load: {
      atStart,
      loadMax: settings.loadMax,
      waitBudgetSeconds: settings.loadWaitSeconds,
      parts: notes,
    },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    micro: microResult?.sets,
    unavailablePeers: microResult?.unavailable,
    microSettings: micro,
    real: real ?? undefined,
    synth: synth ?? undefined,
    breakdown,
    settings: {
      uncached: settings.uncached,
      cached: settings.cached,
      synthRuns: settings.synthRuns,
      redis: `${settings.redisUrl}, ${settings.synthRedisUrl}, ${settings.synthInlineRedisUrl}`,
    },
  };
  mkdirSync(`${root}bench/out`, { recursive: true });
  writeFileSync(`${root}bench/out/scan.json`, JSON.stringify(report, null, 2) + '\n');
  if (!microResult || !real || !synth) {
    log('a subset of the parts ran: figures in bench/out/scan.json, its section unchanged');
    return;
  }
  const full = report as ScanReport;
  mkdirSync(`${root}docs/img`, { recursive: true });
  writeFileSync(`${root}docs/img/scan-bench.svg`, renderChart(microResult.sets, date));
  const { markdown, summary } = renderSection(full, cold ? coldStartFigure(cold) : undefined);
  writeScanSection(`${root}docs/benchmarks.md`, markdown);
  log('\n' + summary.join('\n'));
  log(
    '\nWritten: docs/benchmarks.md (bench:scan section), docs/img/scan-bench.svg, bench/out/scan.json',
  );
}

runBench(main);
