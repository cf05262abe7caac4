/**
 * The processes of a bench: the apps under test (and peers) started from dist/ as children of the
 * bench, the CLI (API keys for the run), and the way back down — a bench must never leave a server
 * holding its ports, even after an error or Ctrl-C.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../src/bootstrap/host/layout.mjs';

/** The repository root with a trailing slash: benches build paths as `${root}docs/…`. */
export const root = `${ROOT}/`;

export const run = promisify(execFile);

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** The last 20,000 characters of its stdout and stderr, for error messages. */
  output: () => string;
}

export interface ServerSpec {
  name: string;
  /** Relative to the repository root, e.g. dist/apps/api/main.js. */
  script: string;
  port: number;
  /** A GET that answers 2xx once the server is ready. */
  readyPath: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** An IPC channel to the child (for the profiler preload); off for measured servers. */
  ipc?: boolean;
  /** How long it may take to become ready, ms (30 s unless said). */
  readyTimeoutMs?: number;
}

const children = new Set<ChildProcess>();

/** Starts `node [nodeArgs] <script>` from the repository root with `env` on top of ours; resolves once `readyPath` answers 2xx. */
export async function startServer({
  name,
  script,
  port,
  readyPath,
  env,
  nodeArgs = [],
  ipc = false,
  readyTimeoutMs = 30_000,
}: ServerSpec): Promise<Server> {
  const stdio = ipc
    ? (['ignore', 'pipe', 'pipe', 'ipc'] as const)
    : (['ignore', 'pipe', 'pipe'] as const);
  // Every server, peers included, with the young-generation cap production runs the apps with
  // (supervisord.conf, the Dockerfile): Node 24 would otherwise size it from the machine's RAM.
  const child = spawn(process.execPath, ['--max-semi-space-size=16', ...nodeArgs, script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: [...stdio],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if ((await fetch(url + readyPath).catch(() => null))?.ok)
      return { name, url, child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`${name} did not become ready on ${url}${readyPath}:\n${output}`);
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Stops every server this bench started (on the way out, even after an error). */
export const stopAll = () => Promise.all([...children].map(stopChild));

/** Synchronous last resort for signal handlers, where there is no time to await. */
export const killAllNow = () => children.forEach((c) => c.kill('SIGKILL'));

/** For error messages: did the server die under load, and how? */
export const describeExit = (child: ChildProcess) =>
  child.exitCode !== null
    ? `exited with code ${child.exitCode}`
    : child.signalCode
      ? `killed by ${child.signalCode}`
      : 'still running';

/** Ctrl-C or SIGTERM during a run kills every server of the bench, then exits. */
export function killServersOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

/**
 * Runs a bench's `main`: Ctrl-C must not leave servers on the bench ports or a Redis queue behind,
 * and a failure prints its stack, stops every server and exits non-zero.
 */
export function runBench(main: () => Promise<void>): void {
  killServersOnSignal();
  main()
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exitCode = 1;
    })
    .finally(() => stopAll());
}

/**
 * Newest modification time (ms) of the files under `dirs`. Servers are started from dist/ at
 * different moments of a run; if something rebuilds dist/ meanwhile, later servers run other code
 * than earlier ones, and the report must say so.
 */
export function newestMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) walk(dir);
  return newest;
}

/** The operators' CLI (dist/src/cli.js), against `databaseUrl` when given (else the environment's). */
export const cli = (databaseUrl: string | null, ...args: string[]) =>
  run(process.execPath, ['dist/src/cli.js', ...args], {
    cwd: root,
    env: databaseUrl ? { ...process.env, DATABASE_URL: databaseUrl } : process.env,
    maxBuffer: 64 * 2 ** 20,
  });

/** A key made for this run with only the scopes its traffic needs (stdout of the CLI is the key alone). */
export async function createKey(
  databaseUrl: string | null,
  name: string,
  scopes: string,
): Promise<string> {
  return (
    await cli(databaseUrl, 'keys', 'create', '--name', name, '--scopes', scopes)
  ).stdout.trim();
}

/** Revokes a run's key; a failure is reported, never thrown (it must not hide the run's own error). */
export async function revokeKey(databaseUrl: string | null, key: string): Promise<void> {
  const prefix = key.slice(4, 12); // msk_<8-character prefix>_<secret>; the prefix may start with '-' or hold '_'
  // `--`: a prefix starting with '-' would read as an option to commander.
  await cli(databaseUrl, 'keys', 'revoke', '--', prefix).catch((e: Error) =>
    console.error(`could not revoke bench key ${prefix}: ${e.message}`),
  );
}

/** The code measured: commit, and whether tracked files differ from it. */
export async function codeVersion(): Promise<string> {
  try {
    const commit = (
      await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
    ).stdout.trim();
    const dirty =
      (
        await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root })
      ).stdout.trim() !== '';
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown (no git)';
  }
}
