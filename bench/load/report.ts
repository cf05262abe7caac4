/**
 * The bench:load section of docs/reliability.md: the run's conditions, the mixed phase per endpoint
 * and per process, the step load, the saturation point and its cause, and what the figures do not say.
 */
import { GROUPS, type Group, type WindowLoad } from './procs.js';
import type { Saturation, Step, StepSettings } from './steps.js';
import type { MachineInfo } from '../kit/machine.js';
import type { WindowStats } from '../kit/open-loop.js';

export interface LoadReport {
  date: string;
  command: string;
  machine: MachineInfo;
  loadBefore: number[];
  loadAfter: number[];
  tls: string;
  settings: {
    seconds: number;
    warmupSeconds: number;
    sockets: number;
    redisUrl: string;
    steps: StepSettings;
    limits: Record<string, string>;
  };
  endpoints: { name: string; rate: number }[];
  mixed: Step;
  mixedOverall: WindowLoad;
  steps: Step[];
  saturation: Saturation;
  /** Programs whose pid changed during the run (a crash Supervisor restarted). */
  restarts: string[];
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const rate = (n: number) => (n >= 10 ? f0(n) : n.toFixed(1));
const mb = (bytes: number) => f0(bytes / 2 ** 20);
const ms = (n: number) => (!Number.isFinite(n) ? '–' : n >= 100 ? f0(n) : n.toFixed(1));

/** "0", or the errors by kind: status codes, network error codes, timeouts, wrong bodies. */
export function errorText(s: WindowStats): string {
  const parts = [
    ...Object.entries(s.errors.status).map(([code, n]) => `HTTP ${code} ×${n}`),
    ...Object.entries(s.errors.network).map(([code, n]) => `${code} ×${n}`),
    ...(s.errors.timeout ? [`timeout ×${s.errors.timeout}`] : []),
    ...Object.entries(s.errors.body).map(([what, n]) => `${what} ×${n}`),
  ];
  return parts.length ? parts.join(', ') : '0';
}

const LABELS: Record<Group, string> = {
  nginx: 'nginx (master + 2 workers)',
  'api-1': 'api-1',
  'api-2': 'api-2',
  'worker-1': 'worker-1',
  'worker-2': 'worker-2',
  postgres: 'PostgreSQL (backends of `scanner` + background)',
  redis: 'redis-server (shared)',
  loadgen: 'load generator (this bench)',
};

function mixedTables(r: LoadReport): string[] {
  const m = r.mixed;
  const rows = m.perEndpoint.map(
    (s, j) =>
      `| ${s.name} | ${rate(r.endpoints[j]!.rate)} | ${rate(s.achieved)} | ${ms(s.latency.p50)} | ${ms(s.latency.p99)} | ${ms(s.latency.max)} | ${errorText(s)} |`,
  );
  const sum = (s: WindowStats, label: string) =>
    `| **${label}** | ${rate(s.offered)} | ${rate(s.achieved)} | ${ms(s.latency.p50)} | ${ms(s.latency.p99)} | ${ms(s.latency.max)} | ${errorText(s)} |`;
  const load = r.mixedOverall;
  const procRows = GROUPS.map((g) => {
    const x = load.groups[g];
    return `| ${LABELS[g]} | ${f0(x.cpuMean)} | ${f0(x.cpuMax)} | ${mb(x.rssEnd)} | ${mb(x.rssMax)} |`;
  });
  return [
    `### Mixed phase: ${r.settings.seconds} s at fixed rates`,
    '',
    `After a ${r.settings.warmupSeconds} s warm-up at the same rates. Latency is from the scheduled send time to the last byte ` +
      'of the answer (successful requests); achieved counts the successful answers received during the phase.',
    '',
    '| endpoint | target req/s | achieved req/s | p50 ms | p99 ms | max ms | errors |',
    '|---|--:|--:|--:|--:|--:|---|',
    ...rows,
    sum(m.interactive, 'interactive (all but new scans)'),
    sum(m.total, 'all'),
    '',
    `The generator's own send lag (actual − scheduled send): p99 ${ms(m.total.sendLag.p99)} ms, max ${ms(m.total.sendLag.max)} ms. ` +
      (m.failures.length
        ? `The phase missed the step criteria: ${m.failures.join('; ')}.`
        : 'The phase met every step criterion below.'),
    '',
    'CPU in % of one core (the machine has ' +
      `${r.machine.cores} cores: ${r.machine.cores * 100} % is all of it), sampled every second from /proc; RSS from VmRSS.`,
    '',
    '| process | CPU mean % | CPU max (1 s) % | RSS end MB | RSS max MB |',
    '|---|--:|--:|--:|--:|',
    ...procRows,
    `| **machine (all processes)** | ${f0(load.machineMean)} | ${f0(load.machineMax)} | | |`,
    `| other processes (not the host's: other people's jobs, kernel) | ${f0(load.otherMean)} | | | |`,
  ];
}

function stepTable(r: LoadReport): string[] {
  const head =
    '| step | × mix | offered req/s | achieved req/s | p50 ms | p99 ms | new scans p50 / p99 ms | errors | machine % | CPU wait % | ' +
    'nginx | api-1 | api-2 | worker-1 | worker-2 | pg | redis | loadgen | other | |';
  const row = (label: string, s: Step) => {
    const g = s.load.groups;
    const cpu = GROUPS.map((k) => f0(g[k].cpuMean));
    const scans = s.scans ? `${ms(s.scans.latency.p50)} / ${ms(s.scans.latency.p99)}` : '–';
    return (
      `| ${label} | ${s.scale.toFixed(2)} | ${rate(s.total.offered)} | ${rate(s.total.achieved)} | ${ms(s.interactive.latency.p50)} | ` +
      `${ms(s.interactive.latency.p99)} | ${scans} | ${errorText(s.total)} | ${f0(s.load.machineMean)} | ${f0(s.load.cpuWaitMean)} | ` +
      `${cpu.join(' | ')} | ${f0(s.load.otherMean)} | ${s.failures.length ? `✗ ${s.failures.join('; ')}` : '✓'} |`
    );
  };
  return [
    head,
    '|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    row(`mixed phase (${r.settings.seconds} s)`, r.mixed),
    ...r.steps.map((s, i) => row(`${i + 1}${s.refine ? ' (bisection)' : ''}`, s)),
  ];
}

export function renderSection(r: LoadReport): string {
  const s = r.settings.steps;
  const sat = r.saturation;
  const good = sat.lastGood;
  const others = [r.mixedOverall.otherMean, ...r.steps.map((x) => x.load.otherMean)];
  const disturbed = Math.max(...others) >= 20;
  const busy = r.loadBefore[0]! > 1.5 || disturbed;
  const satLine = good
    ? `**Saturation point: ${rate(good.total.achieved)} req/s** of this mix (step ×${good.scale.toFixed(2)}: interactive p99 ` +
      `${ms(good.interactive.latency.p99)} ms, ${good.total.errorCount} errors, machine ${f0(good.load.machineMean)} % busy).`
    : r.mixed.failures.length === 0
      ? `**Saturation point: the mixed phase's ${rate(r.mixed.total.achieved)} req/s**; the first step (×${s.startScale}) already failed.`
      : '**No sustainable step**: even the mixed phase missed the criteria.';
  // Which endpoints went slow: every one (the cores are shared) or one (its own bottleneck).
  const slowest = (step: Step) =>
    [...step.perEndpoint]
      .sort((a, b) => b.latency.p99 - a.latency.p99)
      .slice(0, 3)
      .map((e) => `${e.name} ${ms(e.latency.p99)} ms`)
      .join(', ');
  const bad = sat.firstBad
    ? `The step above it (×${sat.firstBad.scale.toFixed(2)}, ${rate(sat.firstBad.total.offered)} req/s offered) failed: ` +
      `${sat.firstBad.failures.join('; ')}. Highest p99 there: ${slowest(sat.firstBad)}.`
    : '';
  return [
    '<!-- bench:load:start -->',
    '## Load: mixed traffic and saturation (`npm run bench:load`)',
    '',
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC with \`flock /tmp/ms-host.lock ${r.command}\` on ${r.machine.cpu}, ` +
      `${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.os}, Node ${r.machine.node}. ` +
      `Load average before the run: ${r.loadBefore.join(' / ')} (1 / 5 / 15 min); at its end: ${r.loadAfter.join(' / ')}.`,
    '',
    ...(busy
      ? [
          `> ⚠ The machine was busy: 1-minute load ${r.loadBefore[0]} when this run started` +
            (r.loadBefore[0]! > 1.5 ? ' (above 1.5)' : '') +
            `, and other people's processes used ${f0(Math.min(...others))}–${f0(Math.max(...others))} % of one core during ` +
            'the phases ("other" below). They shared the 2 cores with the host, so capacity is understated and latencies are ' +
            'inflated. Re-run on a quiet machine for the reference figures.',
          '',
        ]
      : []),
    'The production topology of `npm run host:up` (Supervisor: 2 api + 2 worker processes, NODE_ENV=production, default ' +
      'log level; Nginx with TLS on :8443) on the dev database `scanner`, Redis database ' +
      `${new URL(r.settings.redisUrl).pathname.slice(1)} of its own. Traffic goes through Nginx over ${r.tls} (certificate ` +
      `verified against the host's CA), on at most ${r.settings.sockets} keep-alive connections, \`Accept-Encoding: gzip\` ` +
      'like the iOS app, with a bench key of scopes read, scan, predict (created by the CLI, revoked at the end).',
    '',
    '**Limits raised** so that the bench measures capacity, not the limiters: ' +
      Object.entries(r.settings.limits)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') +
      ' (every request still goes through the limiter and its Redis counter).',
    '',
    '**Open loop**: every endpoint sends at its fixed rate, evenly spaced, whether or not earlier requests were answered; ' +
      'latency counts from the scheduled send time (no coordinated omission). New scans are `POST /v1/scans?wait=30` ' +
      "with a body nobody ran (this run's nonce in accountSize, random filters, 30 % point in time), timed to the completed " +
      'result; cached presets are 6 bodies computed while priming; `GET /v1/scans/{id}` re-reads scans of this key.',
    '',
    ...mixedTables(r),
    '',
    `### Step load: the same mix × ${s.startScale}, then × ${s.factor} per ${s.seconds} s step`,
    '',
    `A step holds when achieved ≥ ${Math.round(s.minRatio * 100)} % of offered, the interactive p99 ≤ ${s.p99LimitMs} ms, ` +
      `the new-scan p99 ≤ ${s.scanP99LimitMs} ms and no request fails. Each step ends by waiting for its answers, so no backlog ` +
      `carries over. After the first failure, ${s.refine} bisection steps (geometric means) narrow the gap between the last ` +
      'step that held and the first that failed; rows are sorted by scale. CPU columns: mean % of one core over the step; ' +
      'CPU wait: share of the time some runnable task of the machine waited for a core (PSI, /proc/pressure/cpu); other: ' +
      "processes that are not the host's (other people's jobs on this machine).",
    '',
    ...stepTable(r),
    '',
    satLine,
    bad,
    '',
    `**What saturates first: ${sat.cause}.**`,
    '',
    '![Step load: offered and achieved rate, p99 and CPU per process per step](img/load-bench.svg)',
    '',
    ...(r.restarts.length
      ? [`> ⚠ Supervisor restarted ${r.restarts.join(', ')} during the run (pid changed).`, '']
      : []),
    '**Caveats.**',
    '',
    `- The load generator runs on the same ${r.machine.cores} cores as everything it measures (its CPU is in the tables); ` +
      'on a real deployment the clients are elsewhere and the host would serve more.',
    '- Limits are raised (above): with the defaults, one key would get 429s long before any of these rates.',
    "- PostgreSQL and Redis are shared with whatever else runs on this machine: redis-server's CPU includes other " +
      "clients' traffic; PostgreSQL counts only the backends of `scanner`. RSS of PostgreSQL sums its processes and counts " +
      'shared buffers once per process.',
    ...(sat.lastGood && sat.firstBad
      ? [
          `- Each step is one ${s.seconds} s sample: near the knee a GC pause or a checkpoint moves a p99 by hundreds of ms, ` +
            `so the saturation point is only as fine as the gap between ×${sat.lastGood.scale.toFixed(2)} and ` +
            `×${sat.firstBad.scale.toFixed(2)} (${rate(sat.lastGood.total.offered)}–${rate(sat.firstBad.total.offered)} req/s), ` +
            'and failing steps above it need not fail in order of scale.',
        ]
      : []),
    "- Evenly spaced sends are gentler than real clients' bursts; a few dozen keep-alive connections stand in for many " +
      'phones, so TLS handshakes are rarer than in production.',
    '<!-- bench:load:end -->',
  ].join('\n');
}
