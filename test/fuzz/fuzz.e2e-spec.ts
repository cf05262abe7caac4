import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ApiKeyRepository } from '#database';
import type { Item, ItemPage, ModelInfo, Scan } from '../support/api-types.js';
import { siblingDatabase } from '../support/databases.js';
import { testConfig } from '../support/e2e.js';
import { DEFAULT_SCAN_REQUEST } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { useStack } from '../support/stack.js';
import { openSocket } from '../support/ws.js';
import { describeResponse, httpViolations, pollutedPath } from './checks.js';
import { send, type FuzzTarget } from './http.js';
import { REGRESSIONS } from './regressions.js';
import {
  errorLines,
  flushFuzzRedis,
  freshDatabase,
  fuzzRedisUrl,
  httpLane,
  newStats,
  split,
  tally,
  wsLane,
} from './run.js';
import { runWsSession } from './ws.js';

/**
 * Property-based fuzzing of every route and the WebSocket (issue 6): ≥ 10,000 generated requests
 * and messages → no 5xx, every 4xx problem+json, no prototype pollution, both processes stay up.
 * Generators: cases.ts (HTTP), ws.ts (WebSocket); properties: checks.ts; the lanes: run.ts.
 *
 * Deterministic: fast-check runs with a fixed seed (FUZZ_SEED, default 42) in parallel lanes (lane i
 * uses seed + i, WebSocket lanes seed + 1000 + i) for concurrency; FUZZ_RUNS sets the number of HTTP
 * cases (default 11,000), the WebSocket sessions follow from it. A failure prints the shrunk
 * counterexample with the lane's seed and path.
 *
 * Random writes change items and scans, so the apps run on a scratch database beside the test
 * database (`scanner_fuzz_test` beside `scanner_test`), copied at every run from a template
 * (`scanner_fuzz_template_test`, migrated and imported once): each run starts from the same state.
 * The test Redis db is flushed before and after.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 42);
const HTTP_RUNS = Number(process.env['FUZZ_RUNS'] ?? 11_000);
const WS_SESSIONS = Math.ceil(HTTP_RUNS / 18);
const MIN_CASES = process.env['FUZZ_RUNS'] ? 0 : 10_000;
const HTTP_LANES = 6;
const WS_LANES = 2;
const UNLIMITED = '1000000';
const fmt = (n: number) => n.toLocaleString('en-US');

describe('fuzz: generated requests and WebSocket messages', () => {
  const base = testConfig().databaseUrl;
  const stats = newStats();
  let target: FuzzTarget;

  before(flushFuzzRedis);
  const stack = useStack({
    database: () =>
      freshDatabase(base, siblingDatabase(base, 'fuzz'), siblingDatabase(base, 'fuzz_template')),
    keys: { admin: 'admin', read: 'read', scan: 'scan', predict: 'predict', revoked: 'read,scan' },
    env: {
      REDIS_URL: fuzzRedisUrl(),
      ...Object.fromEntries(
        // AUTH_FAILURES too: the revoked key's handshakes expect 401, not an address's 429.
        ['ITEMS_READ', 'ITEMS_WRITE', 'PREDICT', 'SCANS_CREATE', 'WS_CONNECT', 'AUTH_FAILURES'].map(
          (n) => [`RATE_LIMIT_${n}`, UNLIMITED],
        ),
      ),
      // One bucket keeps a finite limit, so that some cases meet a 429 (and its Retry-After).
      RATE_LIMIT_SCANS_READ: '200',
      WS_MAX_CONNECTIONS_PER_IP: '1000',
    },
    api: true,
    worker: true,
  });

  before(async () => {
    const { keys } = stack;
    await new ApiKeyRepository(stack.ds).revoke(keys.revoked.slice(4, 12));
    const scanBy = async (key: string, maxSymbols: number) => {
      const res = await stack.call<Scan>('/v1/scans?wait=30', {
        method: 'POST',
        key,
        json: { maxSymbols },
      });
      assert.equal(res.body.status, 'completed', JSON.stringify(res.body));
      return res.body.id;
    };
    const scans = { admin: await scanBy(keys.admin, 3), scan: await scanBy(keys.scan, 4) };
    target = {
      url: new URL(stack.api.url),
      agent: new http.Agent({ keepAlive: true, maxSockets: HTTP_LANES + 2 }),
      keys,
      scans,
    };
  });

  after(async () => {
    target?.agent.destroy();
    await flushFuzzRedis();
  });

  /** The api's exit, if it died: the reason every later case fails. */
  const death = () => {
    const { api } = stack;
    return api.process.exitCode !== null || api.process.signalCode !== null
      ? `\napi exited (${api.process.exitCode ?? api.process.signalCode}):\n${api.output().slice(-2000)}`
      : '';
  };

  it('answers the counterexamples found so far as the contract says', async () => {
    for (const r of REGRESSIONS) {
      const res = await send(r.case, target);
      assert.equal(res.status, r.status, `${r.name}: ${describeResponse(res)}`);
      assert.deepEqual(httpViolations(r.case, res), [], r.name);
    }
    // A refused upgrade was text/html; a uuid-shaped id was silence on the socket; a deep request a warning.
    const refused = await runWsSession(
      {
        auth: { key: 'garbage', style: 'x-api-key' },
        query: '',
        frames: [{ kind: 'text', text: '{}' }],
        closer: null,
      },
      target,
    );
    assert.deepEqual(refused.problems, []);
    const ws = await openSocket(stack.wsUrl, target.keys.admin);
    ws.send({ type: 'subscribe', scanId: '-'.repeat(36) });
    ws.socket.send(`{"type":"scan","request":{"sectors":${'['.repeat(2000)}${']'.repeat(2000)}}}`);
    await ws.until((frames) => frames.length >= 2, 5000, 'two error frames');
    ws.socket.close();
    assert.deepEqual(
      ws.frames.map((f) => f.type),
      ['error', 'error'],
    );
    const messages = ws
      .of('error')
      .map((f) => f.message)
      .join(' | ');
    assert.match(
      messages,
      /no scan -+ for this API key \| Invalid request: body nests deeper than 32 levels/,
    );
  });

  it(
    `answers ${fmt(HTTP_RUNS)} requests and ${fmt(WS_SESSIONS)} WebSocket sessions without a 5xx, every 4xx as problem+json`,
    { timeout: 600_000 },
    async (t) => {
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        ...split(HTTP_RUNS, HTTP_LANES).map((n, i) => httpLane(target, stats, SEED + i, n, death)),
        ...split(WS_SESSIONS, WS_LANES).map((n, i) =>
          wsLane(target, stats, SEED + 1000 + i, n, death),
        ),
      ]);
      const seconds = (Date.now() - started) / 1000;

      const total = stats.http + stats.ws;
      const summary =
        `fuzz: ${fmt(total)} cases (${fmt(stats.http)} HTTP, ${fmt(stats.ws)} WebSocket), seed ${SEED}: ` +
        `${fmt(stats.fiveXX)} 5xx, ${fmt(stats.nonProblem4xx)} non-problem 4xx`;
      const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
      const classes = new Map(
        [...tally(stats, (_route, status) => `${Math.floor(status / 100)}xx`)].sort(),
      );
      const perRoute = [...tally(stats, (route) => route)].sort((a, b) => b[1] - a[1]);
      const ok = tally(stats, (route, status) => (status < 300 ? route : null));
      t.diagnostic(summary);
      t.diagnostic(`in ${seconds.toFixed(1)} s; HTTP status classes: ${list(classes)}`);
      t.diagnostic(
        `HTTP cases by route (2xx among them): ${perRoute.map(([k, v]) => `${k} ${fmt(v)} (${fmt(ok.get(k) ?? 0)})`).join(', ')}`,
      );
      t.diagnostic(
        `WebSocket: ${fmt(stats.ws)} cases in ${fmt(stats.sessions)} sessions, ${fmt(stats.refusedHandshakes)} refused handshakes; ` +
          `${stats.cutOff} HTTP cases cut off mid-upload (refused before their body was read)`,
      );
      if (process.env['FUZZ_DEBUG']) t.diagnostic(list(new Map([...stats.byRouteStatus].sort())));
      process.stdout.write(`${summary}\n`);

      const failures = outcomes.flatMap((o, i) =>
        o.status === 'rejected' ? [`lane ${i}: ${(o.reason as Error).message}`] : [],
      );
      assert.equal(
        failures.length,
        0,
        `${failures.length} lane(s) failed (FUZZ_SEED=${SEED}):\n\n${failures.join('\n\n')}`,
      );
      assert.equal(stats.fiveXX, 0);
      assert.equal(stats.nonProblem4xx, 0);
      assert.ok(total >= MIN_CASES, `only ${total} cases generated`);
    },
  );

  it('logs no error in the api or the worker during the run', () => {
    for (const [name, app] of [
      ['api', stack.api],
      ['worker', stack.worker],
    ] as const) {
      const lines = errorLines(app.output());
      assert.equal(
        lines.length,
        0,
        `${name} logged ${lines.length} error(s):\n${lines.slice(0, 5).join('\n')}`,
      );
    }
  });

  it('shows no prototype pollution afterwards', async () => {
    const key = target.keys.admin;
    const list = await stack.call<ItemPage>('/v1/items', { key });
    assert.equal(list.status, 200);
    assert.equal(pollutedPath(list.body), null);
    // An inherited `limit` or `active` would change the default page.
    assert.equal(list.body.data.length, 50);
    assert.ok(list.body.data.every((item) => item.active === true));

    // An empty scan body normalizes to the documented defaults and nothing else, over HTTP and WebSocket.
    const defaults = { ...DEFAULT_SCAN_REQUEST };
    const scan = await stack.call<Scan>('/v1/scans?wait=10', { method: 'POST', key, json: {} });
    assert.ok(scan.status === 200 || scan.status === 202, JSON.stringify(scan.body));
    assert.deepEqual(scan.body.request, defaults);
    const ws = await openSocket(stack.wsUrl, key);
    ws.send({ type: 'scan', request: {} });
    await ws.until((frames) => frames.length > 0, 10_000, 'an answer to the scan message');
    ws.socket.close();
    const [frame] = ws.frames;
    assert.equal(frame!.type, 'accepted', JSON.stringify(frame));
    assert.deepEqual(ws.of('accepted')[0]!.scan.request, defaults);

    // An inherited `scopes` would turn a read key into an admin.
    const write = await stack.call<Item>('/v1/items', {
      method: 'POST',
      key: target.keys.read,
      json: { symbol: 'ZZPOL', name: 'x', sector: 'Utilities' },
    });
    assert.equal(write.status, 403);
    const info = await stack.call<ModelInfo>('/v1/model/info', { key });
    assert.equal(info.status, 200);
    assert.equal(pollutedPath(info.body), null);
  });

  it('keeps the api and the worker running', async () => {
    for (const app of [stack.api, stack.worker]) {
      assert.equal(app.process.exitCode, null, app.output().slice(-2000));
      assert.equal(app.process.signalCode, null);
      assert.equal((await call(`${app.url}/health/live`)).status, 200);
    }
    assert.equal((await stack.call('/health/ready')).status, 200);
  });
});
