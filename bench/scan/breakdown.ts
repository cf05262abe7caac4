/**
 * Where an uncached scan's round trip goes, from its trace: a traced stack (api + worker, every
 * span exported as OTLP/JSON to a receiver on loopback) answers uncached 505-symbol scans; for
 * each trace the spans under the POST's server span are placed on its timeline, and the medians
 * over the traces say what each step costs and when it starts. The bench prints it for a missed
 * round-trip budget; `node dist/bench/scan/breakdown.js` prints it alone.
 */
import { OtlpReceiver, type ReceivedSpan } from '../../test/support/otlp-receiver.js';
import { runBench } from '../kit/processes.js';
import { median } from '../kit/stats.js';
import { scan, startStack, stopStack } from './e2e.js';

export interface StepFigure {
  /** `service: span name`, the same name once per trace (several of a name are summed). */
  step: string;
  /** Traces in which it occurred. */
  n: number;
  /** Median start, ms after the POST's server span started. */
  startMs: number;
  /** Median of the summed durations, ms. */
  ms: number;
}

export interface Breakdown {
  traces: number;
  /** Median duration of the POST's server span, ms. */
  serverMs: number;
  /** Median of the client's POST → completed, ms. */
  clientMs: number;
  steps: StepFigure[];
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const short = (service: string) => service.replace('market-scanner-', '');

/** The spans of each POST /v1/scans trace, by step. */
function stepsOf(
  spans: ReceivedSpan[],
  root: ReceivedSpan,
): Map<string, { start: number; ms: number }> {
  const steps = new Map<string, { start: number; ms: number }>();
  for (const s of spans) {
    if (s === root) continue;
    const key = `${short(s.service)}: ${s.name}`;
    const seen = steps.get(key);
    const start = ms(s.start - root.start);
    const dur = ms(s.end - s.start);
    steps.set(key, seen ? { start: seen.start, ms: seen.ms + dur } : { start, ms: dur });
  }
  return steps;
}

export async function traceBreakdown(
  settings: { databaseUrl: string; redisUrl: string; apiPort: number; workerPort: number },
  body: (x: number) => Record<string, unknown>,
  runs: number,
): Promise<Breakdown> {
  const receiver = new OtlpReceiver();
  await receiver.start();
  const stack = await startStack(settings, 'breakdown', {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  const client: number[] = [];
  try {
    for (let k = 0; k <= 5; k++) await scan(stack, body(k / 1000));
    for (let k = 1; k <= runs; k++) {
      const call = await scan(stack, body(0.01 + k / 100));
      if (call.cached) throw new Error(`breakdown scan ${k} was answered from the cache`);
      client.push(call.ms);
    }
    await new Promise((r) => setTimeout(r, 1500)); // the last batches of spans
  } finally {
    await stopStack(stack);
    await receiver.stop();
  }
  const roots = receiver.spans
    .filter((s) => s.kind === 2 && s.parentSpanId === '' && /POST/.test(s.name))
    .sort((a, b) => Number(a.start - b.start))
    .slice(-runs);
  const perTrace = roots.map((root) => stepsOf(receiver.trace(root.traceId), root));
  const names = new Set(perTrace.flatMap((m) => [...m.keys()]));
  const steps = [...names]
    .map((step) => {
      const found = perTrace.map((m) => m.get(step)).filter((x) => x !== undefined);
      return {
        step,
        n: found.length,
        startMs: median(found.map((x) => x.start)),
        ms: median(found.map((x) => x.ms)),
      };
    })
    .filter((s) => s.n >= roots.length / 2)
    .sort((a, b) => a.startMs - b.startMs);
  return {
    traces: roots.length,
    serverMs: median(roots.map((r) => ms(r.end - r.start))),
    clientMs: median(client),
    steps,
  };
}

/** The breakdown as markdown table rows (step, n, starts at, takes). */
export const breakdownRows = (b: Breakdown): string[] => [
  '| step (service: span) | traces | starts at ms (p50) | takes ms (p50) |',
  '|---|---:|---:|---:|',
  ...b.steps.map((s) => `| ${s.step} | ${s.n} | ${s.startMs.toFixed(2)} | ${s.ms.toFixed(2)} |`),
];

if (import.meta.url === `file://${process.argv[1]}`)
  runBench(async () => {
    const run = Date.now() % 1_000_000;
    const b = await traceBreakdown(
      {
        databaseUrl:
          process.env.DATABASE_URL || 'postgres://scanner:scanner@127.0.0.1:5432/scanner',
        redisUrl: process.env.BENCH_SCAN_REDIS_URL || 'redis://127.0.0.1:6379/9',
        apiPort: Number(process.env.BENCH_PORT_SCAN_API || 4101),
        workerPort: Number(process.env.BENCH_PORT_SCAN_WORKER || 4102),
      },
      (x) => ({ maxSymbols: 25, minTechRating: 0.1 + x, accountSize: 10_000 + run }),
      Number(process.env.BENCH_SCAN_BREAKDOWN_RUNS || 30),
    );
    console.log(
      `${b.traces} traces; server span p50 ${b.serverMs.toFixed(2)} ms, client p50 ${b.clientMs.toFixed(2)} ms`,
    );
    for (const line of breakdownRows(b)) console.log(line);
  });
