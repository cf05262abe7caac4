/**
 * `npm run bench:predict`: the predict budgets of DESIGN §8 through the full stack (the real api
 * process, NODE_ENV=production) on one machine, in one run:
 *
 *  0. idle: the api at rest, /metrics scraped every second: the event-loop delay baseline;
 *  1. single: POST /v1/predict {text} at a fixed rate (200 req/s, open loop, latency from the
 *     scheduled send time) for 30 s after a 5 s warm-up; client p50/p90/p99/max, the server's
 *     predict_duration_seconds{kind="single"} and http_request_duration_seconds over the run;
 *  2. batch: POST /v1/predict/batch with 256 texts, closed loop on 4 connections for 20 s after a
 *     3 s warm-up; texts/s and request latency;
 *  3. in-process floors (api stopped): SentimentModel.predictBatch over the validation set on this
 *     thread, and the api's own BatchPool (the same threads) fed 256-text batches by 4 loops.
 *
 * After phases 1 and 2, the same load again for BENCH_PREDICT_PROFILE_SECONDS (10) with the V8
 * sampling profiler on the api's main thread (profile.ts): where the CPU per request goes, by module.
 *
 * Event-loop delay during 0–2 comes from the api's own prom-client gauges, scraped every second:
 * each scrape resets the server's delay histogram, so every reading covers exactly one second of
 * the phase. Texts are the 2,388 of data/sentiment/sent_valid.csv.
 *
 * Writes its section of docs/benchmarks.md (between the bench:predict markers) and
 * bench/out/predict.json. The generators are the kit's (bench/kit/open-loop.ts, closed-loop.ts). Performance is checked here and only here, never in timed tests.
 *
 * Env (all optional): DATABASE_URL, REDIS_URL as the apps read them; BENCH_PORT_PREDICT (3751);
 * BENCH_PREDICT_RATE (200 req/s), BENCH_PREDICT_SECONDS (30), BENCH_PREDICT_WARMUP (5);
 * BENCH_PREDICT_BATCH_SECONDS (20), BENCH_PREDICT_BATCH_WARMUP (3), BENCH_PREDICT_CONNECTIONS (4);
 * BENCH_PREDICT_IDLE_SECONDS (10); BENCH_PREDICT_PROFILE_SECONDS (10, 0: no profiles); BENCH_LOAD_WAIT (longest wait, seconds, for a 1-minute load
 * average below BENCH_LOAD_MAX before measuring; 600 and 2.5); BENCH_QUIET_WAIT / BENCH_QUIET_CORES
 * (before each phase, longest wait for the machine to fall below that many busy cores; 120 s, 0.5); BENCH_PREDICT_DOCS=0 writes the
 * section to bench/out/predict.md instead of docs/benchmarks.md (trial runs).
 */
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readLabelledCsv, SentimentModel } from '#sentiment';
import { closedLoop } from '../kit/closed-loop.js';
import { send, type Call, type Reply, type Target } from '../kit/http-client.js';
import {
  loadavg,
  machineInfo,
  waitForLowLoad,
  waitForQuietMachine,
  type QuietWait,
} from '../kit/machine.js';
import { reportDate } from '../kit/markdown.js';
import { OpenLoop } from '../kit/open-loop.js';
import { createKey, revokeKey, runBench, root, startServer, stopAll } from '../kit/processes.js';
import { scrape } from '../kit/prometheus.js';
import { BUDGETS, type PredictReport } from './report-data.js';
import { renderPredictSection, writePredictSection } from './report.js';
import { profileOrNull } from './profile.js';
import { cpuMeter, measureFloor, measurePhase, poolFloor } from './readings.js';
import { encodeBodies, waitForModel } from './setup.js';
import { openLoopResult, startLagSampler, summarizeLag } from './traffic.js';

const num = (name: string, fallback: number) => Number(process.env[name] || fallback);

const BATCH_SIZE = 256;
const settings = {
  port: num('BENCH_PORT_PREDICT', 3751),
  rate: num('BENCH_PREDICT_RATE', 200),
  singleSeconds: num('BENCH_PREDICT_SECONDS', 30),
  singleWarmupSeconds: num('BENCH_PREDICT_WARMUP', 5),
  batchSeconds: num('BENCH_PREDICT_BATCH_SECONDS', 20),
  batchWarmupSeconds: num('BENCH_PREDICT_BATCH_WARMUP', 3),
  connections: num('BENCH_PREDICT_CONNECTIONS', 4),
  idleSeconds: num('BENCH_PREDICT_IDLE_SECONDS', 10),
  profileSeconds: num('BENCH_PREDICT_PROFILE_SECONDS', 10),
  batchSize: BATCH_SIZE,
  // The schema's maximum (1,000,000 per minute): none is refused; every unit is counted in Redis (leased while far from it).
  rateLimitPredict: 1_000_000,
  loadWaitSeconds: num('BENCH_LOAD_WAIT', 600),
  loadMax: num('BENCH_LOAD_MAX', 2.5),
  quietWaitSeconds: num('BENCH_QUIET_WAIT', 120),
  quietCores: num('BENCH_QUIET_CORES', 0.5),
  dataset: 'data/sentiment/sent_valid.csv',
  modelPath: 'models/sentiment-model.json',
  writeDocs: process.env.BENCH_PREDICT_DOCS !== '0',
};

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The single-text generator polls the clock for the last millisecond before each send (OpenLoop). */
const SPIN_MS = 1;

/** Waits (up to loadWaitSeconds) for the 1-minute load average to drop below loadMax. */
async function waitForLoad(): Promise<{ waitedSeconds: number; loadAtStart: number[] }> {
  const waitedSeconds = await waitForLowLoad(
    settings.loadMax,
    settings.loadWaitSeconds,
    'measuring',
    log,
  );
  return { waitedSeconds, loadAtStart: loadavg() };
}

/** Before each phase: the machine below quietCores busy cores (up to quietWaitSeconds); the phase runs either way. */
const waitForQuiet = (phase: string): Promise<QuietWait> =>
  waitForQuietMachine(settings.quietWaitSeconds, settings.quietCores, phase, log);

async function main(): Promise<void> {
  const dataset = await readLabelledCsv(`${root}${settings.dataset}`);
  const texts = dataset.rows.map((r) => r.text);
  const { singleBodies, batchBodies } = encodeBodies(texts, BATCH_SIZE);
  const profileFile = `${root}bench/out/predict.cpuprofile`;
  const key = await createKey(null, 'bench-predict', 'read,predict');
  const headers = { 'X-API-Key': key };
  try {
    mkdirSync(`${root}bench/out`, { recursive: true });
    const server = await startServer({
      name: 'api',
      script: 'dist/apps/api/main.js',
      port: settings.port,
      readyPath: '/health/live',
      readyTimeoutMs: 60_000,
      // Idle until asked over IPC: only the profiled windows after phases 1 and 2 are sampled.
      nodeArgs: ['--import', './dist/bench/http/cpu-profile.preload.js'],
      ipc: true,
      env: {
        BENCH_CPU_PROFILE: profileFile,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        API_PORT: String(settings.port),
        RATE_LIMIT_PREDICT: String(settings.rateLimitPredict),
      },
    });
    await waitForModel(server, key);
    const base = new URL(server.url);
    const singleAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const batchAgent = new http.Agent({ keepAlive: true, maxSockets: settings.connections });
    const singleTarget: Target = { base, agent: singleAgent, headers };
    const batchTarget: Target = { base, agent: batchAgent, headers };
    const batchCall = (i: number): Call => ({
      method: 'POST',
      path: '/v1/predict/batch',
      body: batchBodies[i % batchBodies.length]!,
    });
    const sendBatch = (i: number) => send(batchTarget, batchCall(i), 10_000);
    const isPrediction = (_status: number, text: string) => {
      const body = JSON.parse(text) as { label?: string };
      return body.label === 'bullish' || body.label === 'bearish' || body.label === 'neutral'
        ? null
        : 'not a prediction';
    };
    // One endpoint at a fixed rate: request i leaves at t0 + i / rate whatever the server does,
    // the clock polled for the last SPIN_MS before each send so that it leaves on time.
    const singleLoop = new OpenLoop(
      singleTarget,
      [
        {
          name: 'POST /v1/predict',
          rate: settings.rate,
          timeoutMs: 10_000,
          next: (i) => ({
            method: 'POST',
            path: '/v1/predict',
            body: singleBodies[i % singleBodies.length]!,
          }),
          check: isPrediction,
        },
      ],
      1,
      SPIN_MS,
    );
    const batchItems = (reply: Reply) => {
      const n = (JSON.parse(reply.body) as { results?: unknown[] }).results?.length ?? 0;
      return n === BATCH_SIZE ? n : 0;
    };

    const profiled = (phase: string, load: () => Promise<number>) =>
      settings.profileSeconds > 0 ? profileOrNull(server, profileFile, phase, load, log) : null;

    const load = await waitForLoad();
    log(
      `bench:predict  load average ${load.loadAtStart.join(' ')} (waited ${load.waitedSeconds} s)`,
    );

    // Settle: the first /metrics renders and the GC after parsing the 4 MiB model are start-up
    // costs, not part of the baseline.
    for (let i = 0; i < 3; i++) {
      await scrape(base);
      await sleep(1000);
    }

    // 0. Idle baseline: same scraping, no load.
    const idleCpu = cpuMeter(server, await waitForQuiet('idle'));
    const idleLag = await startLagSampler(base);
    await sleep(settings.idleSeconds * 1000);
    const idleEnd = await idleLag.sampler.stop();
    const idle = { cpu: idleCpu(), lag: idleEnd.readings };
    log(`  idle       event-loop delay max ${(summarizeLag(idle.lag).max * 1000).toFixed(1)} ms`);

    // 1. Single text at a fixed rate.
    const singleQuiet = await waitForQuiet('single');
    await singleLoop.run(1, settings.singleWarmupSeconds);
    await singleLoop.drain();
    const single = await measurePhase(server, singleQuiet, 'single', '/v1/predict', async () => {
      const window = await singleLoop.run(1, settings.singleSeconds);
      await singleLoop.drain();
      return openLoopResult(
        singleLoop,
        window,
        settings.rate,
        settings.singleSeconds,
        BUDGETS.singleP99Ms,
      );
    });
    const sl = single.result.latencyMs;
    log(
      `  single     ${single.result.sendRate.toFixed(1)} req/s sent, p50 ${sl.p50.toFixed(2)} ms p90 ${sl.p90.toFixed(2)} ms ` +
        `p99 ${sl.p99.toFixed(2)} ms max ${sl.max.toFixed(2)} ms, ${single.result.non2xx} non-2xx, ${single.result.errors} errors; ` +
        `event-loop delay max ${(summarizeLag(single.lag).max * 1000).toFixed(1)} ms`,
    );

    const singleProfile = await profiled('single', async () => {
      const window = await singleLoop.run(1, settings.profileSeconds);
      await singleLoop.drain();
      return openLoopResult(singleLoop, window, settings.rate, settings.profileSeconds).ok;
    });

    // 2. Batch throughput, closed loop.
    const batchQuiet = await waitForQuiet('batch');
    await closedLoop(settings.connections, settings.batchWarmupSeconds, sendBatch, batchItems);
    const batch = await measurePhase(server, batchQuiet, 'batch', '/v1/predict/batch', () =>
      closedLoop(settings.connections, settings.batchSeconds, sendBatch, batchItems),
    );
    const batchProfile = await profiled('batch', async () => {
      const run = await closedLoop(
        settings.connections,
        settings.profileSeconds,
        sendBatch,
        batchItems,
      );
      return run.items;
    });
    const bl = batch.result.latencyMs;
    log(
      `  batch      ${batch.result.itemsPerSecond.toFixed(0)} texts/s (${batch.result.requestsPerSecond.toFixed(1)} req/s), ` +
        `p50 ${bl.p50.toFixed(1)} ms p99 ${bl.p99.toFixed(1)} ms, ${batch.result.non2xx} non-2xx, ${batch.result.errors} errors; ` +
        `event-loop delay max ${(summarizeLag(batch.lag).max * 1000).toFixed(1)} ms`,
    );
    const loadAtEnd = loadavg();
    singleLoop.close();
    batchAgent.destroy();
    await stopAll();

    // 3. In-process floor, nothing else of ours running.
    const model = await SentimentModel.load(`${root}${settings.modelPath}`);
    const floorQuiet = await waitForQuiet('in-process');
    const { floor, cpu: floorCpu } = measureFloor(model, texts, floorQuiet);
    const pool = await poolFloor(
      `${root}${settings.modelPath}`,
      texts,
      settings.batchSize,
      settings.connections,
    );
    log(`  pool       ${pool.textsPerSecond.toFixed(0)} texts/s on ${pool.threads} threads`);
    log(
      `  in-process ${floor.batchTextsPerSecond.toFixed(0)} texts/s predictBatch; one ${floor.slice}-text slice ` +
        `p99 ${floor.sliceMs.p99.toFixed(2)} ms max ${floor.sliceMs.max.toFixed(2)} ms`,
    );

    const report: PredictReport = {
      date: reportDate(),
      command: 'npm run bench:predict',
      machine: machineInfo(),
      settings: { ...settings, texts: texts.length, datasetSha256: dataset.sha256 },
      load: { ...load, loadAtEnd },
      modelVersion: model.manifest.version,
      idle,
      single,
      batch,
      inProcess: { ...floor, cpu: floorCpu },
      pool,
      profiles: { single: singleProfile, batch: batchProfile },
    };
    const section = renderPredictSection(report);
    writeFileSync(`${root}bench/out/predict.json`, JSON.stringify(report, null, 2) + '\n');
    if (settings.writeDocs) {
      // Re-reads the file right before writing: other benches write their own sections concurrently.
      writePredictSection(`${root}docs/benchmarks.md`, section);
      log('written to docs/benchmarks.md (bench:predict section) and bench/out/predict.json');
    } else {
      writeFileSync(`${root}bench/out/predict.md`, section + '\n');
      log('BENCH_PREDICT_DOCS=0: written to bench/out/predict.md and bench/out/predict.json only');
    }
  } finally {
    await stopAll();
    await revokeKey(null, key);
  }
}

runBench(main);
