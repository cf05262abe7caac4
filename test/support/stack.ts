import { after, before } from 'node:test';
import { ApiKeyRepository, assertTestDatabase, createDataSource, parseScopes } from '#database';
import type { DataSource } from 'typeorm';
import { startApp, testConfig, type RunningApp } from './e2e.js';
import { flushRateLimits, removeTestRows, flushScanCache, stopWithin } from './fixtures.js';
import { call, type CallInit, type Reply } from './http.js';

type AppEnv = Record<string, string>;
type App = 'api' | 'worker';

export interface StackOptions<K extends string> {
  /** Start an api process: `true`, or the environment it needs on top of the stack's (a function is read when it starts). */
  api?: boolean | AppEnv | (() => AppEnv);
  /** Start a worker process, likewise. */
  worker?: boolean | AppEnv | (() => AppEnv);
  /** API keys made before the processes start: handle → scopes, e.g. `{ read: 'read', scanner: 'read,scan' }`. */
  keys?: Record<K, string>;
  /** Environment of every process the stack starts (api, worker, and those of `startApp`). */
  env?: AppEnv;
  /**
   * Prepares the database the stack works on and returns its URL (a `_test` database); the shared
   * test database when absent. The processes get it as DATABASE_URL.
   */
  database?: () => Promise<string>;
  /**
   * Other runs use this database at the same time (the synthetic 10,000-symbol one): only what this
   * stack made is removed — its keys and their scans — never every `e2e` key or every scan.
   */
  shared?: boolean;
  /** Remove scan runs and cached scans before and after, for specs that count or reuse them. */
  scans?: boolean;
}

/** What `useStack` hands a spec; every field is there once the stack's `before` hook has run. */
export interface Stack<K extends string> {
  readonly ds: DataSource;
  readonly api: RunningApp;
  readonly worker: RunningApp;
  readonly keys: Readonly<Record<K, string>>;
  /** ws://…/v1/ws of the api. */
  readonly wsUrl: string;
  /** `call<T>()` against the api: `path` like `/v1/items?limit=5`. */
  call<T = unknown>(path: string, init?: CallInit): Promise<Reply<T>>;
  /** A key made now, removed with the others. */
  createKey(scopes: string, handle?: string): Promise<string>;
  /** Another process with the stack's environment; stopped in `after` unless the test stopped it. */
  startApp(app: App, env?: AppEnv): Promise<RunningApp>;
  /** Runs `work` with another process, stopped afterwards whatever happens. */
  withApp<R>(app: App, env: AppEnv, work: (running: RunningApp) => Promise<R>): Promise<R>;
  /**
   * Cleanup that needs the data source: run first in the stack's `after`, last registered first.
   * (A spec's own `after` hooks run after the stack's, once the data source is closed.)
   */
  onTeardown(step: () => Promise<void> | void): void;
}

const STOP_MS = 10_000;

/**
 * The setup every e2e spec needs, registered as node:test `before`/`after` hooks of the suite it is
 * called in: a guarded data source, a clean slate (test items and keys, rate-limit counters, scans
 * if asked), keys, then the api and worker processes; afterwards every process is stopped (killed
 * after 10 s) and the slate cleaned again. Hooks registered after this call run after the stack's
 * (node:test runs hooks in the order they were registered): their `before` sees the processes up,
 * their `after` finds them stopped — cleanup that needs the data source goes in `onTeardown`.
 */
export function useStack<K extends string = never>(options: StackOptions<K> = {}): Stack<K> {
  let ds: DataSource | undefined;
  let databaseUrl = '';
  const apps = new Map<App, RunningApp>();
  const extras = new Set<RunningApp>();
  const keys = {} as Record<K, string>;
  const keyIds: string[] = [];
  const teardown: (() => Promise<void> | void)[] = [];

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(
        `stack.${what} used before the stack's before hook ran (or it was not asked for)`,
      );
    return value;
  };
  const envOf = (own: StackOptions<K>['api']): AppEnv => ({
    ...options.env,
    ...(databaseUrl === testConfig().databaseUrl ? {} : { DATABASE_URL: databaseUrl }),
    ...(typeof own === 'function' ? own() : typeof own === 'object' ? own : {}),
  });
  const createKey = async (scopes: string, handle = 'key'): Promise<string> => {
    const { key, entity } = await new ApiKeyRepository(ready(ds, 'ds')).create(
      `e2e-${handle}`,
      parseScopes(scopes),
    );
    keyIds.push(entity.id);
    return key;
  };
  const clean = async () => {
    const source = ready(ds, 'ds');
    if (options.shared) {
      // This stack's keys, and those an interrupted run left behind (no run lasts an hour).
      const own = `SELECT id FROM api_keys WHERE id = ANY($1::uuid[]) OR (name LIKE 'e2e%' AND created_at < now() - interval '1 hour')`;
      if (options.scans)
        await source.query(`DELETE FROM scan_runs WHERE api_key_id IN (${own})`, [keyIds]);
      await source.query(`DELETE FROM api_keys WHERE id IN (${own})`, [keyIds]);
    } else {
      if (options.scans) await source.query('DELETE FROM scan_runs');
      await removeTestRows(source);
    }
    if (options.scans) await flushScanCache();
    await flushRateLimits();
  };

  before(async () => {
    databaseUrl = options.database ? await options.database() : testConfig().databaseUrl;
    assertTestDatabase(databaseUrl);
    ds = createDataSource({ ...testConfig(), databaseUrl }, 'market-scanner-e2e');
    await ds.initialize();
    await clean();
    for (const [handle, scopes] of Object.entries(options.keys ?? {}) as [K, string][])
      keys[handle] = await createKey(scopes, handle);
    // One after the other: two cold starts at once are slow on a loaded machine.
    if (options.api) apps.set('api', await startApp('api', envOf(options.api)));
    if (options.worker) apps.set('worker', await startApp('worker', envOf(options.worker)));
  });

  after(async () => {
    // Every process is stopped and the data source closed even when a teardown step fails.
    const failures: unknown[] = [];
    for (const step of teardown.reverse())
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => failures.push(error));
    await Promise.all([...apps.values(), ...extras].map((app) => stopWithin(app, STOP_MS)));
    if (ds?.isInitialized) {
      try {
        await clean();
      } finally {
        await ds.destroy();
      }
    }
    if (failures.length > 0) throw failures[0];
  });

  const stack: Stack<K> = {
    get ds() {
      return ready(ds, 'ds');
    },
    get api() {
      return ready(apps.get('api'), 'api');
    },
    get worker() {
      return ready(apps.get('worker'), 'worker');
    },
    keys,
    get wsUrl() {
      return `${stack.api.url.replace('http', 'ws')}/v1/ws`;
    },
    call: <T>(path: string, init?: CallInit) => call<T>(`${stack.api.url}${path}`, init),
    createKey,
    async startApp(app, env = {}) {
      const running = await startApp(app, { ...envOf(undefined), ...env });
      extras.add(running);
      return running;
    },
    onTeardown: (step) => void teardown.push(step),
    async withApp(app, env, work) {
      const running = await stack.startApp(app, env);
      try {
        return await work(running);
      } finally {
        await stopWithin(running, STOP_MS);
        extras.delete(running);
      }
    },
  };
  return stack;
}
