import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { assertTestDatabase } from '#database';
import { cli, ensureMigratedDatabase, withClient, withDatabase } from '../support/databases.js';
import { testConfig } from '../support/e2e.js';
import { httpCase, type HttpCase } from './cases.js';
import { describeResponse, httpViolations } from './checks.js';
import { send, type FuzzTarget, type HttpResult } from './http.js';
import { runWsSession } from './ws.js';
import { wsSession } from './ws-sessions.js';

/**
 * The machinery of a fuzz run: its scratch database and Redis db, the fast-check lanes that run in
 * parallel, and the counts the run reports.
 */

/**
 * Copies `db` from `template` (migrated and imported once, refreshed by no-op runs of the same CLI
 * steps): every run starts from the same data whatever the previous run wrote.
 */
export async function freshDatabase(base: string, db: string, template: string): Promise<string> {
  const url = withDatabase(base, db);
  const templateUrl = withDatabase(base, template);
  assertTestDatabase(url);
  assertTestDatabase(templateUrl);
  await ensureMigratedDatabase(base, template);
  const data = await cli(templateUrl, 'data', 'import', '--if-empty');
  assert.equal(data.code, 0, data.stderr);
  await withClient(withDatabase(base, 'postgres'), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${db} TEMPLATE ${template}`);
  });
  return url;
}

/**
 * The run's own test Redis db (never db 0, where a development Redis keeps its data). It used to be
 * a fixed db 13 whatever the run's db, so two runs on different dbs flushed each other's.
 */
export const fuzzRedisUrl = (): string => {
  const url = testConfig().redisUrl;
  const db = Number(new URL(url).pathname.slice(1) || 0);
  assert.ok(
    db > 0,
    `the fuzz suite flushes its Redis db: ${url} must name a test db (1..15), not db 0`,
  );
  return url;
};

export async function flushFuzzRedis(): Promise<void> {
  const redis = new Redis(fuzzRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb().finally(() => redis.disconnect());
}

/**
 * Log lines at pino level error (50) or fatal (60), except one kind: Nest's WsAdapter logs the frames
 * ws refuses (invalid UTF-8, over maxPayload) at error level although the client caused them and the
 * socket is correctly closed with 1007/1009.
 */
export const errorLines = (output: string): string[] =>
  output
    .split('\n')
    .filter(
      (l) =>
        /^\{.*"level":(5|6)0[,}]/.test(l) &&
        !/"context":"WsAdapter".*"message":"(Invalid WebSocket frame|Max payload size exceeded)/.test(
          l,
        ),
    );

export interface Stats {
  http: number;
  ws: number;
  sessions: number;
  refusedHandshakes: number;
  cutOff: number;
  fiveXX: number;
  nonProblem4xx: number;
  /** "route status" → count, e.g. "POST /v1/scans 202". */
  byRouteStatus: Map<string, number>;
}

export const newStats = (): Stats => ({
  http: 0,
  ws: 0,
  sessions: 0,
  refusedHandshakes: 0,
  cutOff: 0,
  fiveXX: 0,
  nonProblem4xx: 0,
  byRouteStatus: new Map(),
});

function record(stats: Stats, c: HttpCase, res: HttpResult): void {
  stats.http++;
  if (res.cutOff) {
    stats.cutOff++;
    return;
  }
  const key = `${c.route} ${res.status}`;
  stats.byRouteStatus.set(key, (stats.byRouteStatus.get(key) ?? 0) + 1);
  if (res.status >= 500) stats.fiveXX++;
  const problemJson = String(res.headers['content-type'] ?? '').startsWith(
    'application/problem+json',
  );
  if (res.status >= 400 && res.status < 500 && !problemJson) stats.nonProblem4xx++;
}

/** Counts summed by a function of the route and status of each HTTP case. */
export function tally(
  stats: Stats,
  by: (route: string, status: number) => string | null,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, n] of stats.byRouteStatus) {
    const at = key.lastIndexOf(' ');
    const group = by(key.slice(0, at), Number(key.slice(at + 1)));
    if (group !== null) out.set(group, (out.get(group) ?? 0) + n);
  }
  return out;
}

/** `total` split over `count` lanes. */
export const split = (total: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.floor(total / count) + (i < total % count ? 1 : 0));

/**
 * One lane: fast-check runs of `arbitrary`, each `run` (a rejection fails the run), then `count`,
 * then `failure` (a message fails it). Counts cover generated cases only: after the lane's first
 * failure, its runs are fast-check's shrinking steps.
 */
function lane<T, R>(
  arbitrary: fc.Arbitrary<T>,
  seed: number,
  numRuns: number,
  run: (value: T) => Promise<R>,
  count: (value: T, result: R) => void,
  failure: (value: T, result: R) => string | null,
): Promise<void> {
  let shrinking = false;
  return fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      const result = await run(value).catch((e: unknown) => {
        shrinking = true;
        throw e;
      });
      if (!shrinking) count(value, result);
      const message = failure(value, result);
      if (message !== null) {
        shrinking = true;
        throw new Error(message);
      }
    }),
    { seed, numRuns, includeErrorInReport: true },
  );
}

/** A lane of `numRuns` cases from `seed`; `death` explains a missing answer if the api has exited. */
type Lane = (
  target: FuzzTarget,
  stats: Stats,
  seed: number,
  numRuns: number,
  death: () => string,
) => Promise<void>;

/** One lane of HTTP cases. */
export const httpLane: Lane = (target, stats, seed, numRuns, death) =>
  lane(
    httpCase,
    seed,
    numRuns,
    (c) =>
      send(c, target).catch((e: Error) => {
        throw new Error(`no response: ${e.message}${death()}`);
      }),
    (c, res) => record(stats, c, res),
    (c, res) => {
      const problems = httpViolations(c, res);
      return problems.length > 0 ? `${problems.join('; ')}\n  got ${describeResponse(res)}` : null;
    },
  );

/** One lane of WebSocket sessions. */
export const wsLane: Lane = (target, stats, seed, numRuns, death) =>
  lane(
    wsSession,
    seed,
    numRuns,
    (s) => runWsSession(s, target),
    (_s, { cases, refused }) => {
      stats.ws += cases;
      stats.sessions++;
      if (refused) stats.refusedHandshakes++;
    },
    (_s, { problems }) => (problems.length > 0 ? `${problems.join('; ')}${death()}` : null),
  );
