/**
 * The cost of tracing in bench:http: the same api twice, untraced and traced at the default
 * sampling (every request: parentbased_always_on, exported over OTLP/http-protobuf to a sink on
 * loopback), under the same GET /v1/items load, alternately. Written to its own section of
 * docs/benchmarks.md.
 */
import os from 'node:os';
import { machineInfo, type MachineInfo } from '../kit/machine.js';
import { reportDate, writeMarkedSection } from '../kit/markdown.js';
import { startOtlpSink, tracedEnv } from '../kit/otlp-sink.js';
import { stopChild, type Server, type ServerSpec } from '../kit/processes.js';
import { line, measure, summarize, type LoadSettings, type Measurement } from './measure.js';
import type { Summary } from './report.js';

const START = '<!-- bench:http-tracing:start -->';
const END = '<!-- bench:http-tracing:end -->';

export interface TracingCost {
  date: string;
  code: string;
  machine: MachineInfo;
  /** The 1-minute load average when the part started. */
  load1: number;
  settings: LoadSettings & { rounds: number };
  runs: Measurement[];
  untraced: Summary;
  traced: Summary;
  /** Export requests and bytes the sink received from the traced api. */
  exported: { exports: number; bytes: number };
}

/**
 * `spec(name, port, env)` is the api as the bench runs it; `launch` starts a server. Rounds of
 * untraced then traced, each a warm-up and a measurement (measure.ts).
 */
export async function measureTracingCost(
  launch: (spec: ServerSpec) => Promise<Server>,
  spec: (name: string, port: number, env: Record<string, string>) => ServerSpec,
  ports: { untraced: number; traced: number },
  settings: LoadSettings,
  rounds: number,
  code: string,
): Promise<TracingCost> {
  const load1 = os.loadavg()[0]!;
  const sink = await startOtlpSink();
  const runs: Measurement[] = [];
  try {
    const untraced = await launch(spec('untraced', ports.untraced, {}));
    const traced = await launch(spec('traced', ports.traced, tracedEnv(sink)));
    try {
      const probe = await fetch(traced.url + settings.path, { headers: settings.headers });
      if (!probe.headers.get('traceresponse'))
        throw new Error('the traced api answered without traceresponse: tracing is not on');
      console.log(`bench:http tracing cost (load average ${load1.toFixed(2)})`);
      for (let round = 1; round <= rounds; round++)
        for (const server of [untraced, traced]) {
          runs.push(await measure(server, round, settings));
          console.log(line(runs[runs.length - 1]!));
        }
    } finally {
      await stopChild(traced.child);
      await stopChild(untraced.child);
    }
    return {
      date: reportDate(),
      code,
      machine: machineInfo(),
      load1,
      settings: { ...settings, headers: { 'X-API-Key': '[redacted]' }, rounds },
      runs,
      untraced: summarize('untraced', runs),
      traced: summarize('traced', runs),
      exported: sink.received(),
    };
  } finally {
    await sink.stop();
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function renderTracingSection(c: TracingCost): string {
  const ratio = c.traced.medianReqPerSec / c.untraced.medianReqPerSec;
  const cpu = (s: Summary) => (s.cpuUsPerReq === null ? 'n/a' : s.cpuUsPerReq.toFixed(0));
  const extraCpu =
    c.traced.cpuUsPerReq !== null && c.untraced.cpuUsPerReq !== null
      ? `${(c.traced.cpuUsPerReq - c.untraced.cpuUsPerReq).toFixed(0)} µs of CPU per request`
      : 'CPU per request unavailable';
  const row = (s: Summary) =>
    `| ${s.server} | ${s.medianReqPerSec.toFixed(0)} | ${s.p50Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} | ${cpu(s)} | ${s.machineCores.toFixed(2)} |`;
  const runs = c.runs.map((m) => `${m.server} ${m.reqPerSec.toFixed(0)}`).join(', ');
  return [
    START,
    '## Cost of tracing: GET /v1/items, traced vs untraced',
    '',
    `Measured ${c.date} by \`npm run bench:http\` (code ${c.code}) on ${c.machine.cpu}, ${c.machine.cores} cores, Node ${c.machine.node}; ` +
      `1-minute load average ${c.load1.toFixed(2)} when the part started${c.load1 > c.machine.cores ? ' — **a loaded machine: other jobs shared the cores, the ratio is more telling than the absolute rates**' : ''}.`,
    '',
    `The same api twice: untraced (no OTEL_* variables: the SDK is not started) and traced at the default sampling ` +
      '(`OTEL_TRACES_EXPORTER=otlp`, http/protobuf to a sink on loopback that discards the spans, `OTEL_TRACES_SAMPLER` unset: ' +
      'every request traced — the HTTP server span, its PostgreSQL and Redis spans, exported in batches). ' +
      `${c.settings.connections} connections, ${c.settings.warmupSeconds} s warm-up + ${c.settings.durationSeconds} s per run, ` +
      `${c.settings.rounds} rounds in the order untraced, traced.`,
    '',
    '| api | req/s (median) | p50 ms | p99 ms | server CPU µs/req | busy cores (machine) |',
    '|---|---|---|---|---|---|',
    row(c.untraced),
    row(c.traced),
    '',
    `**Traced/untraced: ${pct(ratio)} of the requests per second** (${extraCpu} more); runs: ${runs}. ` +
      `The sink received ${c.exported.exports} export requests, ${(c.exported.bytes / 1e6).toFixed(1)} MB.`,
    END,
  ].join('\n');
}

export const writeTracingSection = (path: string, c: TracingCost): void =>
  writeMarkedSection(path, renderTracingSection(c), START, END);
