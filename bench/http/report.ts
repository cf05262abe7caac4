/**
 * Renders the HTTP bench's section of docs/benchmarks.md and writes it between its own markers,
 * leaving every other section of the file (other benches, prose) as it was.
 */
import { writeMarkedSection } from '../kit/markdown.js';
import type { MachineInfo } from '../kit/machine.js';
import { median } from '../kit/stats.js';
import type { LoadSettings, Measurement } from './measure.js';
import { LOGGING_PACKAGES, type ProfileShare } from './profile.js';

export const START = '<!-- bench:http:start -->';
export const END = '<!-- bench:http:end -->';

export interface Summary {
  server: string;
  medianReqPerSec: number;
  bestReqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number | null;
  cores: number | null;
  loadgenCores: number;
  serviceCores: number;
  machineCores: number;
}

export interface HttpReport {
  date: string;
  command: string;
  /** Commit of the measured code. */
  code: string;
  /** True when dist/ changed between two server starts (another build), so not every server ran the same code. */
  rebuilt: boolean;
  machine: MachineInfo;
  settings: LoadSettings & { poolSize: number; order: string };
  runs: Measurement[];
  bare: Summary;
  api: Summary;
  ratioMedian: number;
  ratioBest: number;
  /** The ratio over the least and most favourable pairing of an api run with a bare run: the noise band. */
  ratioRange: { min: number; max: number };
  budget: number;
  /** Filled only when the budget is missed: the same api with LOG_LEVEL=silent, one run. */
  silent: Measurement | null;
  /** Filled only when the budget is missed: CPU self time by component of fresh, profiled servers. */
  profiles: { api: ProfileShare[]; bare: ProfileShare[] } | null;
  profileSeconds: number;
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const orDash = (n: number | null, fmt: (n: number) => string) => (n === null ? '–' : fmt(n));
const others = (m: Measurement) =>
  m.serverCores === null
    ? null
    : Math.max(0, m.machineCores - m.serverCores - m.loadgenCores - m.serviceCores);

/** The per-request work the api does and the peer does not; the profile table shows its price. */
// The database work is the same on both sides (same statement, same pool size), so this list is all of it.
const STACK_WORK =
  'API-key check (in-memory cache, a Fastify preParsing hook) and scope check, the rate-limit counter in Redis ' +
  '(one EVALSHA per key and round trip, shared by the requests that arrive while one is in flight), the query ' +
  "validated by the route's Ajv schema (compiled once), Nest routing " +
  'and its guard/filter plumbing, the request log from Fastify hooks (a child logger per request whose bindings, ' +
  'the request redacted, are serialised whatever the level), X-Request-Id, Server-Timing and the Prometheus histogram';

/** The budget row of DESIGN §8 this section reports (issue 16). */
export const BUDGET_ROW = 'GET /v1/items, full stack ÷ bare Fastify + pg (req/s, medians, A B A B)';

/** The budget row as a table: the measured ratio, the budget, the verdict and by how much. */
function budgetTable(r: HttpReport): string[] {
  const met = r.ratioMedian >= r.budget;
  const points = Math.abs(r.ratioMedian - r.budget) * 100;
  const marginal = met ? r.ratioRange.min < r.budget : r.ratioRange.max >= r.budget;
  return [
    '| path | measured | budget | verdict |',
    '|---|---:|---:|---|',
    `| ${BUDGET_ROW} | ${pct(r.ratioMedian)} | ≥ ${pct(r.budget)} | ${
      met ? `**met** by ${f1(points)} points` : `**missed** by ${f1(points)} points`
    }${marginal ? ` (marginal: single runs pair ${pct(r.ratioRange.min)}–${pct(r.ratioRange.max)})` : ''} |`,
    '',
    'The api as deployed by default: untraced (no `OTEL_*` variables). Its cost with tracing on at the default ' +
      'sampling is the section "Cost of tracing" below, measured in the same command.',
    '',
  ];
}

/** A warning when other jobs used the CPU during the measured runs: the figures are then noisier. */
function disturbance(r: HttpReport): string[] {
  const foreign = r.runs.map(others).filter((n): n is number => n !== null);
  if (foreign.length === 0 || Math.max(...foreign) < 0.3) return [];
  return [
    `> ⚠ Disturbed run: other processes used up to ${f2(Math.max(...foreign))} cores (median ${f2(median(foreign))}) during ` +
      'the measurements ("other cores" below). The A B A B order spreads that over both sides, but run-to-run spread is ' +
      'larger than on a quiet machine; re-run when the machine is idle for steadier figures.',
    '',
  ];
}

function verdict(r: HttpReport): string[] {
  const met = r.ratioMedian >= r.budget;
  // A verdict is only as firm as the runs agree: if some pairing of runs falls on the other side of
  // the budget, say so rather than print a clean "met" or "missed".
  const marginal = met ? r.ratioRange.min < r.budget : r.ratioRange.max >= r.budget;
  const band = `pairing single runs gives ${pct(r.ratioRange.min)} to ${pct(r.ratioRange.max)}`;
  const lines = [
    `**Budget: api ≥ ${pct(r.budget)} of bare req/s (medians). Result: ${pct(r.ratioMedian)} — ${
      met
        ? `met, ${f1((r.ratioMedian - r.budget) * 100)} points of headroom`
        : `missed by ${f1((r.budget - r.ratioMedian) * 100)} percentage points`
    }${marginal ? ' (marginal)' : ''}.**`,
    '',
    marginal
      ? `Marginal: ${band}, which straddles the budget; the verdict could flip on another run of the command.`
      : `Firm: ${band}, all on the same side of the budget.`,
    '',
  ];
  if (
    r.api.cpuUsPerReq !== null &&
    r.bare.cpuUsPerReq !== null &&
    r.api.cores !== null &&
    r.bare.cores !== null
  ) {
    const cores = r.machine.cores;
    const where =
      // ≥ 0.8: the event-loop thread is (nearly) always busy; the rest of a core is GC and I/O threads' share.
      r.api.cores >= 0.8
        ? `The api process used ${f2(r.api.cores)} cores while measured: its one JavaScript thread is (nearly) saturated, ` +
          'so its throughput is bounded by its CPU per request, not by PostgreSQL or the pool. '
        : r.api.machineCores >= 0.9 * cores
          ? `The machine was CPU-bound in both runs (${f2(r.api.machineCores)} of ${cores} cores busy during the api runs, ` +
            `${f2(r.bare.machineCores)} during the bare ones): the api process got ${f2(r.api.cores)} cores, the peer ` +
            `${f2(r.bare.cores)}, autocannon ${f2(r.api.loadgenCores)} / ${f2(r.bare.loadgenCores)}, PostgreSQL + Redis ` +
            `${f2(r.api.serviceCores)} / ${f2(r.bare.serviceCores)} (medians; per run below). ` +
            'With the CPU shared out like that, CPU per request decides how many requests fit. '
          : `Neither the api process (${f2(r.api.cores)} cores) nor the machine (${f2(r.api.machineCores)} of ${cores} cores busy) ` +
            'was CPU-bound: part of the gap is waiting (Redis round trip, pool). ';
    lines.push(
      `Why: the api spends ${f0(r.api.cpuUsPerReq)} µs of CPU per request, the bare peer ${f0(r.bare.cpuUsPerReq)} µs ` +
        `(${f1(r.api.cpuUsPerReq / r.bare.cpuUsPerReq)}×; bare ÷ api = ${pct(r.bare.cpuUsPerReq / r.api.cpuUsPerReq)}, the ratio ` +
        "to expect where each server saturates a core of its own, and a figure that moves less with the machine's load than req/s). " +
        `${where}The extra CPU is the work the stack does per request: ${STACK_WORK}.`,
      '',
    );
  }
  if (r.silent) {
    const apiRuns = r.runs.filter((m) => m.server === r.api.server).map((m) => m.reqPerSec);
    // The api's own run-to-run spread: one extra run cannot show an effect smaller than that.
    const spread = (Math.max(...apiRuns) - Math.min(...apiRuns)) / r.api.medianReqPerSec;
    const gain = r.silent.reqPerSec / r.api.medianReqPerSec - 1;
    const logging = r.profiles?.api.filter((p) => LOGGING_PACKAGES.test(p.component)) ?? [];
    const loggingShare = logging.reduce((a, p) => a + p.share, 0);
    lines.push(
      `Logging share: a fresh api with \`LOG_LEVEL=silent\` (one extra run) served ${f0(r.silent.reqPerSec)} req/s ` +
        `(${pct(r.silent.reqPerSec / r.bare.medianReqPerSec)} of bare` +
        `${r.silent.serverCpuUsPerReq === null ? '' : `, ${f0(r.silent.serverCpuUsPerReq)} µs CPU/req`}), ` +
        `${gain >= 0 ? '+' : ''}${pct(gain)} against the api's median; the api's own runs spread over ${pct(spread)}, ` +
        `so a single run ${
          Math.abs(gain) <= spread
            ? 'shows no effect beyond noise'
            : gain > 0
              ? 'suggests that logging costs throughput'
              : 'says nothing here: it was slower, which switching work off cannot cause, so it was disturbed (see "other cores")'
        }. ` +
        (r.profiles
          ? `The profile is the steadier measure: the logging packages (${logging.map((p) => p.component).join(', ') || 'none sampled'}) ` +
            `take ${pct(loggingShare)} of the api's CPU at \`warn\` — ` +
            (loggingShare < 0.1
              ? 'logging is not what separates the api from the peer.'
              : 'a real part of the gap.')
          : ''),
      '',
    );
  }
  if (r.profiles) {
    const bare = new Map(r.profiles.bare.map((p) => [p.component, p.usPerReq]));
    const rows = r.profiles.api
      .map((p) => ({ component: p.component, api: p.usPerReq, bare: bare.get(p.component) ?? 0 }))
      .sort((a, b) => b.api - b.bare - (a.api - a.bare));
    const top = rows.slice(0, 12);
    const rest = rows.slice(12);
    const total = (side: 'api' | 'bare') =>
      (side === 'api' ? r.profiles!.api : r.profiles!.bare).reduce((a, p) => a + p.usPerReq, 0);
    const restApi = rest.reduce((a, x) => a + x.api, 0);
    const restBare =
      rest.reduce((a, x) => a + x.bare, 0) +
      r.profiles.bare
        .filter((p) => !rows.some((x) => x.component === p.component))
        .reduce((a, p) => a + p.usPerReq, 0);
    lines.push(
      `Where the CPU goes: V8 sampling profiles (200 µs interval) of a fresh api (\`LOG_LEVEL=warn\`) and a fresh peer, each ` +
        `under the same load for ${r.profileSeconds} s after its warm-up. Each component's share of the main thread's samples (self ` +
        "time) is multiplied by the process's CPU per request measured from /proc over the same seconds: the sampler counts " +
        'wall time, which a busy machine inflates, /proc counts CPU. Approximate (the profiler adds overhead, other threads such ' +
        'as GC helpers are folded in), so compare rows with each other rather than with the figures above. ' +
        'Node core and native frames (JSON, socket writes, Buffer, crypto) are charged to the nearest package or app code ' +
        'that called them: a socket write issued by ioredis counts as ioredis, serialising a reply as fastify. ' +
        'npm packages are named as in node_modules. Largest differences first:',
      '',
      '| component | api µs/req | bare µs/req | difference |',
      '|---|---:|---:|---:|',
      ...top.map(
        (x) =>
          `| ${x.component} | ${f0(x.api)} | ${f0(x.bare)} | ${x.api - x.bare >= 0 ? '+' : ''}${f0(x.api - x.bare)} |`,
      ),
      ...(rest.length > 0
        ? [
            `| ${rest.length} other components | ${f0(restApi)} | ${f0(restBare)} | ${f0(restApi - restBare)} |`,
          ]
        : []),
      `| **total** | **${f0(total('api'))}** | **${f0(total('bare'))}** | **+${f0(total('api') - total('bare'))}** |`,
      '',
    );
  }
  return lines;
}

export function renderSection(r: HttpReport): string {
  const s = r.settings;
  const row = (m: Measurement) =>
    `| ${m.round} | ${m.server} | ${f0(m.reqPerSec)} | ${f1(m.p50Ms)} | ${f1(m.p99Ms)} | ${f0(m.requests)} | ${orDash(m.serverCpuUsPerReq, f0)} | ` +
    `${orDash(m.serverCores, f2)} | ${f2(m.loadgenCores)} | ${f2(m.serviceCores)} | ${orDash(others(m), f2)} | ${f2(m.machineCores)} |`;
  const sum = (x: Summary) =>
    `| ${x.server} | ${f0(x.medianReqPerSec)} | ${f0(x.bestReqPerSec)} | ${f1(x.p50Ms)} | ${f1(x.p99Ms)} | ${orDash(x.cpuUsPerReq, f0)} |`;
  return [
    START,
    '## HTTP: GET /v1/items, full stack vs bare Fastify + pg',
    '',
    `Generated by \`${r.command}\` on ${r.date} (code: ${r.code}); do not edit by hand, re-run the command instead.`,
    '',
    ...(r.rebuilt
      ? [
          '> ⚠ dist/ was rebuilt between two server starts of this run (another build on the machine): servers started ' +
            'later may have run newer code than the first ones. Re-run for figures from a single build.',
          '',
        ]
      : []),
    '- **api** (full stack): `node dist/apps/api/main.js` with `NODE_ENV=production LOG_LEVEL=warn`, the items-read rate limit raised ' +
      'to its maximum (1,000,000/min) so it never answers 429; far from that budget, the limiter counts the requests in Redis ' +
      'a lease of 1,024 at a time (docs/decisions.md, "Limiter leases"). Auth (X-API-Key, cached), ' +
      'Redis rate limiting, validation, the keyset page of ItemsRepository, the request log, X-Request-Id, Server-Timing, Prometheus metrics.',
    "- **bare** (peer): `dist/bench/http/bare-fastify-pg.server.js` — Fastify 5, a `pg` Pool and one route. It runs the api's page " +
      'statement as is (named prepared statement `SELECT … FROM items WHERE active = $1 … ORDER BY symbol LIMIT 51`, dates ' +
      "formatted by PostgreSQL), so PostgreSQL and the driver do the same work on both sides and the ratio is the stack's " +
      'alone; both return the same JSON body (checked equal before measuring).',
    `- Same database and \`items\` table, same page (\`${s.path}\`), same pool size (${s.poolSize}), same machine, one run of the command.`,
    `- Load: autocannon in the bench process, ${s.connections} connections, no pipelining, \`${s.path}\` with an \`X-API-Key\` ` +
      `header (a read key created for the run and revoked afterwards); per measurement ${s.warmupSeconds} s warm-up (discarded) ` +
      `then ${s.durationSeconds} s measured; order ${s.order}.`,
    '',
    `Machine: ${r.machine.cpu} × ${r.machine.cores} cores, ${r.machine.memoryGb} GB RAM, ${r.machine.os}; Node ${r.machine.node}. ` +
      'PostgreSQL and Redis run on the same machine.',
    '',
    `> With ${r.machine.cores} cores, the load generator, PostgreSQL, Redis and the server under test share the CPU. ` +
      'The competition is the same in both runs, so the ratio is meaningful, but the absolute req/s are lower than on a ' +
      'dedicated server and are not a capacity figure.',
    '',
    ...budgetTable(r),
    ...disturbance(r),
    '| | req/s median | req/s best | p50 ms | p99 ms | server CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|',
    sum(r.bare),
    sum(r.api),
    `| **api / bare** | **${pct(r.ratioMedian)}** | ${pct(r.ratioBest)} | | | |`,
    '',
    ...verdict(r),
    '<details><summary>Individual runs</summary>',
    '',
    '| round | server | req/s | p50 ms | p99 ms | requests | server CPU µs/req | server cores | autocannon cores | PostgreSQL + Redis cores | other cores | machine busy cores |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.runs.map(row),
    ...(r.silent ? [row(r.silent)] : []),
    '',
    "p50/p99 in the summary are the medians of the runs' percentiles. Cores are CPU seconds per measured second: the " +
      'server process, the bench process running autocannon, the PostgreSQL and Redis processes (from /proc), and the ' +
      'whole machine (from `os.cpus()`). "other" is the machine minus those: anything else running at the time (kernel, ' +
      'other jobs on a shared machine); a large value means the run was disturbed.',
    '',
    '</details>',
    END,
  ].join('\n');
}

export const writeSection = (path: string, section: string): void =>
  writeMarkedSection(path, section, START, END);
