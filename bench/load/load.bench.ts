/**
 * `npm run bench:load`: mixed traffic through Nginx with TLS against the production topology on this
 * machine (host:up: Supervisor with 2 api + 2 worker processes, Nginx, PostgreSQL, Redis).
 *
 *  1. Priming: the cached scan presets are computed once and read back from the cache.
 *  2. Mixed phase: every endpoint at its fixed rate (bench/load/mix.ts), open loop, a warm-up then
 *     LOAD_SECONDS measured; per endpoint target and achieved rate, p50/p99/max and errors by kind;
 *     CPU and RSS per process every second (bench/load/procs.ts); the generator is bench/kit/open-loop.ts.
 *  3. Step load: the same mix × LOAD_STEP_START, then × LOAD_STEP_FACTOR per step, until a step
 *     fails (bench/load/steps.ts); the last step that held is the saturation point.
 *
 * Writes its section of docs/reliability.md (between the bench:load markers), docs/img/load-bench.svg
 * and bench/out/load.json. On this shared machine run it as `flock /tmp/ms-host.lock npm run bench:load`:
 * it refuses to start when a host is already up, and takes its own host down at the end, on failure
 * and on SIGINT/SIGTERM.
 *
 * Env (all optional): DATABASE_URL (the dev database, default postgres://scanner:scanner@127.0.0.1:5432/scanner);
 * LOAD_REDIS_URL (redis://127.0.0.1:6379/12; refused when another client uses it, flushed before and after);
 * LOAD_SECONDS (60), LOAD_WARMUP_SECONDS (10), LOAD_RATES (name:rate,… over the defaults of mix.ts);
 * LOAD_SOCKETS (64 keep-alive connections at most); LOAD_STEP_SECONDS (10), LOAD_STEPS (10),
 * LOAD_STEP_START (1.5), LOAD_STEP_FACTOR (1.5), LOAD_REFINE (2 bisection steps after the first failure),
 * LOAD_P99_MS (250), LOAD_SCAN_P99_MS (3000);
 * LOAD_DOCS=0 writes the section to bench/out/load.md instead of docs/ (trial runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import { readLabelledCsv } from '#sentiment';
import { HTTPS_PORT } from '../../src/bootstrap/host/layout.mjs';
import type { Target } from '../kit/http-client.js';
import { loadavg, machineInfo } from '../kit/machine.js';
import { writeMarkedSection } from '../kit/markdown.js';
import { OpenLoop } from '../kit/open-loop.js';
import { createKey, revokeKey, root } from '../kit/processes.js';
import { claimRedisDb, releaseRedisDb } from '../kit/redis.js';
import { renderChart } from './chart.js';
import {
  assertNoHost,
  currentProgramPids,
  hostCa,
  hostDown,
  hostPids,
  hostUp,
  RAISED_LIMITS,
} from './host.js';
import {
  buildMix,
  cachedBodies,
  loadCatalog,
  NEW_SCAN,
  ratesFrom,
  request,
  scanNonce,
  type ScanReply,
} from './mix.js';
import { startSampler, windowLoad } from './procs.js';
import { renderSection, type LoadReport } from './report.js';
import { judge, saturation, stepLoad, type StepSettings } from './steps.js';

const env = (name: string, fallback: string) => process.env[name] || fallback;
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);

const settings = {
  databaseUrl: env('DATABASE_URL', 'postgres://scanner:scanner@127.0.0.1:5432/scanner'),
  redisUrl: env('LOAD_REDIS_URL', 'redis://127.0.0.1:6379/12'),
  seconds: num('LOAD_SECONDS', 60),
  warmupSeconds: num('LOAD_WARMUP_SECONDS', 10),
  sockets: num('LOAD_SOCKETS', 64),
  rates: ratesFrom(process.env.LOAD_RATES),
  writeDocs: process.env.LOAD_DOCS !== '0',
};
const steps: StepSettings = {
  startScale: num('LOAD_STEP_START', 1.5),
  factor: num('LOAD_STEP_FACTOR', 1.5),
  seconds: num('LOAD_STEP_SECONDS', 10),
  maxSteps: num('LOAD_STEPS', 10),
  refine: num('LOAD_REFINE', 2),
  minRatio: 0.95,
  p99LimitMs: num('LOAD_P99_MS', 250),
  scanP99LimitMs: num('LOAD_SCAN_P99_MS', 3000),
};

const log = (line: string) => console.log(line);

let hostStarted = false;
let key: string | null = null;
let cleaning: Promise<void> | null = null;

/** Revokes the key, takes the host down and empties the Redis database: once, whatever happened. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (key) await revokeKey(settings.databaseUrl, key);
    if (hostStarted) {
      log('host:down');
      await hostDown().catch((e: Error) => console.error(e.message));
      await releaseRedisDb(settings.redisUrl);
    }
  })();
  return cleaning;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const started = new Date();
  log(`bench:load — load average before: ${loadBefore.join(' ')}`);
  await assertNoHost();
  await claimRedisDb(settings.redisUrl, 'LOAD_REDIS_URL');
  log('host:up (limits raised, Redis ' + settings.redisUrl + ')');
  // Set before host:up returns: a start that fails halfway leaves processes that host:down must clear.
  hostStarted = true;
  await hostUp({
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    ...RAISED_LIMITS,
  });
  // Only the scopes the app's traffic needs (no admin).
  key = await createKey(settings.databaseUrl, 'bench-load', 'read,scan,predict');
  const { nginxMaster, programs } = await hostPids();
  const pids = { nginxMaster, programs, database: new URL(settings.databaseUrl).pathname.slice(1) };
  // 127.0.0.1 with SNI "localhost": the certificate is checked against the host's CA, never skipped.
  const target: Target = {
    base: new URL(`https://127.0.0.1:${HTTPS_PORT}`),
    servername: 'localhost',
    agent: new https.Agent({
      keepAlive: true,
      maxSockets: settings.sockets,
      ca: hostCa(),
      scheduling: 'lifo',
    }),
    headers: { 'x-api-key': key, 'accept-encoding': 'gzip' },
  };

  const texts = (await readLabelledCsv(`${root}data/sentiment/sent_valid.csv`)).rows.map(
    (r) => r.text,
  );
  const catalog = await loadCatalog(target, texts);
  log(
    `  ${catalog.symbols.length} symbols, ${catalog.cursors.length} next-page cursors, ${catalog.texts.length} texts`,
  );

  // Priming: each preset computed (which also loads both workers' bar caches), then read back from the cache.
  const nonce = scanNonce();
  const scanIds: string[] = [];
  for (const body of cachedBodies(nonce)) {
    const first = await request<ScanReply>(target, 'POST', '/v1/scans?wait=30', body);
    const again = await request<ScanReply>(target, 'POST', '/v1/scans?wait=30', body);
    if (first.json.status !== 'completed' || again.json.cached !== true)
      throw new Error(
        `priming ${JSON.stringify(body)}: ${first.status} ${first.json.status}, then cached=${again.json.cached}`,
      );
    scanIds.push(first.json.id!);
  }

  const endpoints = buildMix(catalog, settings.rates, nonce, scanIds);
  const scanEndpoint = endpoints.findIndex((e) => e.name === NEW_SCAN);
  const sampler = startSampler(pids);
  const loop = new OpenLoop(target, endpoints);
  const offered = endpoints.reduce((a, e) => a + e.rate, 0);
  log(
    `warm-up ${settings.warmupSeconds} s, then mixed phase ${settings.seconds} s at ${offered.toFixed(1)} req/s`,
  );
  const warm = await loop.run(1, settings.warmupSeconds);
  const mixed = await loop.run(1, settings.seconds, warm.to);
  await loop.drain();
  const mixedStep = judge(loop, sampler.samples, scanEndpoint, mixed.from, mixed.to, steps, 1);
  log(
    `  achieved ${mixedStep.total.achieved.toFixed(1)} req/s, interactive p50 ${mixedStep.interactive.latency.p50.toFixed(1)} / ` +
      `p99 ${mixedStep.interactive.latency.p99.toFixed(1)} ms, errors ${mixedStep.total.errorCount}, machine ${mixedStep.load.machineMean.toFixed(0)} %`,
  );

  log(`step load: ×${steps.startScale} then ×${steps.factor} per ${steps.seconds} s step`);
  const stepResults = await stepLoad(loop, sampler.samples, scanEndpoint, steps, log);
  sampler.stop();
  loop.close();
  const after = await currentProgramPids();
  const restarts = Object.entries(after)
    .filter(([name, pid]) => programs[name as keyof typeof programs] !== pid)
    .map(([name]) => name);
  const loadDuring = loadavg();
  await cleanup();

  const report: LoadReport = {
    date: started.toISOString(),
    command: 'npm run bench:load',
    machine: machineInfo(),
    loadBefore,
    loadAfter: loadDuring,
    tls: catalog.tls,
    settings: { ...settings, steps, limits: RAISED_LIMITS, redisUrl: settings.redisUrl },
    endpoints: endpoints.map((e) => ({ name: e.name, rate: e.rate })),
    mixed: mixedStep,
    mixedOverall: windowLoad(sampler.samples, mixed.from, mixed.to),
    steps: stepResults,
    saturation: saturation(stepResults, os.cpus().length),
    restarts,
  };
  mkdirSync(`${root}bench/out`, { recursive: true });
  // Raw figures for whoever wants to dig further; bench/out/ is git-ignored.
  writeFileSync(`${root}bench/out/load.json`, JSON.stringify(report, null, 2) + '\n');
  const section = renderSection(report);
  const svg = renderChart(report);
  if (settings.writeDocs) {
    writeMarkedSection(
      `${root}docs/reliability.md`,
      section,
      '<!-- bench:load:start -->',
      '<!-- bench:load:end -->',
    );
    writeFileSync(`${root}docs/img/load-bench.svg`, svg);
    log('wrote docs/reliability.md (bench:load section) and docs/img/load-bench.svg');
  } else {
    writeFileSync(`${root}bench/out/load.md`, section + '\n');
    writeFileSync(`${root}bench/out/load-bench.svg`, svg);
    log('wrote bench/out/load.md and bench/out/load-bench.svg (LOAD_DOCS=0)');
  }
  log(`saturation: ${report.saturation.cause}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: taking the host down`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    await cleanup();
    process.exit(1);
  },
);
