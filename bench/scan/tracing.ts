/**
 * Part 4 of the scan bench, the cost of tracing: two stacks (api + worker) on the 505 real
 * symbols, one untraced and one traced at the default sampling (every scan: its HTTP, queue,
 * stage, PostgreSQL and Redis spans, exported over OTLP/http-protobuf to a sink on loopback),
 * each on its own Redis database, scanned alternately — uncached scans, then cached ones — so a
 * drift of the machine hits both alike. Written to its own section of docs/benchmarks.md.
 */
import os from 'node:os';
import { machineInfo, type MachineInfo } from '../kit/machine.js';
import { reportDate, writeMarkedSection } from '../kit/markdown.js';
import { startOtlpSink, tracedEnv } from '../kit/otlp-sink.js';
import { percentiles, type Percentiles } from '../kit/stats.js';
import { scan, startStack, stopStack, type ScanCall, type Stack } from './e2e.js';

const START = '<!-- bench:scan-tracing:start -->';
const END = '<!-- bench:scan-tracing:end -->';

export interface TracingSettings {
  databaseUrl: string;
  /** Redis databases of the untraced and the traced stack. */
  redisUrl: string;
  tracedRedisUrl: string;
  ports: { api: number; worker: number; tracedApi: number; tracedWorker: number };
  /** Uncached and cached scans per stack. */
  uncached: number;
  cached: number;
}

/**
 * Part 4's settings on top of part 2's. Env (optional): BENCH_SCAN_TRACED_REDIS_URL (the traced
 * stack's Redis database, redis://127.0.0.1:6379/11), BENCH_PORT_SCAN_TRACED_API / _WORKER (4105,
 * 4106), BENCH_SCAN_TRACING_UNCACHED / _CACHED (scans per stack, 20/200).
 */
export function tracingSettings(base: {
  databaseUrl: string;
  redisUrl: string;
  ports: { api: number; worker: number };
}): TracingSettings {
  const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
  return {
    databaseUrl: base.databaseUrl,
    redisUrl: base.redisUrl,
    tracedRedisUrl: process.env.BENCH_SCAN_TRACED_REDIS_URL || 'redis://127.0.0.1:6379/11',
    ports: {
      api: base.ports.api,
      worker: base.ports.worker,
      tracedApi: num('BENCH_PORT_SCAN_TRACED_API', 4105),
      tracedWorker: num('BENCH_PORT_SCAN_TRACED_WORKER', 4106),
    },
    uncached: num('BENCH_SCAN_TRACING_UNCACHED', 20),
    cached: num('BENCH_SCAN_TRACING_CACHED', 200),
  };
}

interface Side {
  uncached: Percentiles;
  /** Server time (Server-Timing) of cached answers. */
  cachedServer: Percentiles;
}

export interface ScanTracingCost {
  date: string;
  machine: MachineInfo;
  load1: number;
  settings: Omit<TracingSettings, 'ports'>;
  untraced: Side;
  traced: Side;
  exported: { exports: number; bytes: number };
}

/**
 * `body(x)` is a scan request no earlier run stored, distinct for each x; the same x is the same
 * request (what the cached scans repeat). The stacks share PostgreSQL, where one stack's stored
 * result would answer the other's identical request: each stack asks its own (`ask`), and the x
 * range (20…) is one part 2 never asks.
 */
export async function partTracing(
  s: TracingSettings,
  body: (x: number) => Record<string, unknown>,
  log: (line: string) => void,
): Promise<ScanTracingCost> {
  const load1 = os.loadavg()[0]!;
  const sink = await startOtlpSink();
  const stacks: Stack[] = [];
  try {
    const stack = (redisUrl: string, api: number, worker: number, tag: string, env = {}) =>
      startStack(
        { databaseUrl: s.databaseUrl, redisUrl, apiPort: api, workerPort: worker },
        tag,
        env,
      );
    stacks.push(await stack(s.redisUrl, s.ports.api, s.ports.worker, 'untraced'));
    stacks.push(
      await stack(
        s.tracedRedisUrl,
        s.ports.tracedApi,
        s.ports.tracedWorker,
        'traced',
        tracedEnv(sink),
      ),
    );
    const ask = (i: number, x: number) => scan(stacks[i]!, body(20 + x + i / 10_000));
    // Bar caches loaded and the JIT warm in both.
    for (let k = 0; k <= 5; k++) for (const i of [0, 1]) await ask(i, k / 1000);
    const calls: ScanCall[][] = [[], []];
    for (let k = 1; k <= s.uncached; k++)
      for (const i of [0, 1]) {
        const call = await ask(i, 0.01 + k / 100);
        if (call.cached) throw new Error(`uncached scan ${k} was answered from the cache`);
        calls[i]!.push(call);
      }
    const cached: ScanCall[][] = [[], []];
    for (const i of [0, 1]) await ask(i, 0.01); // stored → cache entry
    for (let k = 0; k < s.cached; k++)
      for (const i of [0, 1]) {
        const call = await ask(i, 0.01);
        if (!call.cached) throw new Error(`repeat ${k} was not answered from the cache`);
        cached[i]!.push(call);
      }
    const side = (i: number): Side => ({
      uncached: percentiles(calls[i]!.map((c) => c.ms)),
      cachedServer: percentiles(cached[i]!.map((c) => c.serverMs ?? NaN)),
    });
    const [untraced, traced] = [side(0), side(1)];
    for (const [name, x] of [
      ['untraced', untraced],
      ['traced', traced],
    ] as const)
      log(
        `  ${name}: uncached p50 ${x.uncached.p50.toFixed(1)} ms p90 ${x.uncached.p90.toFixed(1)} ms, ` +
          `cached server p50 ${x.cachedServer.p50.toFixed(2)} ms`,
      );
    const { ports: _ports, ...settings } = s;
    return {
      date: reportDate(),
      machine: machineInfo(),
      load1,
      settings,
      untraced,
      traced,
      exported: sink.received(),
    };
  } finally {
    for (const st of stacks) await stopStack(st);
    await sink.stop();
  }
}

const ratio = (traced: number, untraced: number) => `${(traced / untraced).toFixed(2)}×`;

export function renderScanTracingSection(c: ScanTracingCost): string {
  const row = (name: string, x: Side) =>
    `| ${name} | ${x.uncached.p50.toFixed(1)} | ${x.uncached.p90.toFixed(1)} | ${x.cachedServer.p50.toFixed(2)} | ${x.cachedServer.p90.toFixed(2)} |`;
  return [
    START,
    '## Cost of tracing: scans, traced vs untraced',
    '',
    `Measured ${c.date} by \`npm run bench:scan\` (part 4) on ${c.machine.cpu}, ${c.machine.cores} cores, Node ${c.machine.node}; ` +
      `1-minute load average ${c.load1.toFixed(2)} when the part started${c.load1 > c.machine.cores ? ' — **a loaded machine: other jobs shared the cores; compare the two rows, not the absolute times with the sections above**' : ''}.`,
    '',
    'Two stacks (api + worker, `NODE_ENV=production`) on the 505 real symbols, each on its own Redis database: one untraced, ' +
      'one traced at the default sampling (`OTEL_TRACES_EXPORTER=otlp`, http/protobuf to a sink on loopback, `OTEL_TRACES_SAMPLER` unset: ' +
      'every scan traced — request, enqueue, job, four stages, PostgreSQL and Redis calls). Scans go to one stack then the other, ' +
      `${c.settings.uncached} uncached scans each (\`POST /v1/scans?wait=30\` → completed, warm bar cache), then ${c.settings.cached} cached ones each.`,
    '',
    '| stack | uncached p50 ms | uncached p90 ms | cached server p50 ms | cached server p90 ms |',
    '|---|---|---|---|---|',
    row('untraced', c.untraced),
    row('traced', c.traced),
    '',
    `**Traced/untraced: uncached p50 ${ratio(c.traced.uncached.p50, c.untraced.uncached.p50)}, ` +
      `cached server p50 ${ratio(c.traced.cachedServer.p50, c.untraced.cachedServer.p50)}.** ` +
      `The sink received ${c.exported.exports} export requests, ${(c.exported.bytes / 1e6).toFixed(1)} MB.`,
    END,
  ].join('\n');
}

export const writeScanTracingSection = (path: string, c: ScanTracingCost): void =>
  writeMarkedSection(path, renderScanTracingSection(c), START, END);
