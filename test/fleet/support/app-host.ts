import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostPaths, ROOT, type HostPaths } from '../../../src/bootstrap/host/layout.mjs';
import { parseStatus, writeEnvFile } from '../../../src/bootstrap/host/supervisor.mjs';
import { waitFor } from '../../support/e2e.js';
import { hostnameOf, runOnHost, type Ran } from './network.js';

export type Role = 'api' | 'worker';

/** api-n listens on 3000 + n, worker-n's health and metrics on 3100 + n (supervisord.conf). */
const BASE_PORT: Record<Role, number> = { api: 3000, worker: 3100 };

/**
 * An api or a worker host of the fleet, set up as an EC2 host is: an env file (the one environment
 * of the host, here written by host:up's writer), deploy/deploy.sh to install the release and
 * migrate, supervisord with the repository's supervisord.conf from the `current` release, and
 * deploy/ctl.sh to operate it. An api host runs API_PROCS api processes and no worker
 * (WORKER_PROCS=0: supervisord makes no worker group), a worker host the reverse. The release is
 * this checkout's build, shared by every host (one filesystem); each host has its own DEPLOY_ROOT,
 * RUN_DIR, LOG_DIR and STATE_DIR under .local/fleet/<name>/.
 */
export class AppHost {
  readonly paths: HostPaths;
  /** What the env file holds: supervisord, deploy.sh, ctl.sh and every app process read it. */
  readonly env: Record<string, string>;

  constructor(
    readonly name: string,
    readonly address: string,
    readonly role: Role,
    readonly procs: number,
    dir: string,
    shared: Record<string, string>,
  ) {
    this.paths = hostPaths(join(dir, name));
    this.env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DOCS_ENABLED: 'false',
      // Every address of the host: Nginx on the edge reaches the api on eth0, deploy.sh's health
      // gate on loopback.
      API_HOST: '0.0.0.0',
      API_PROCS: String(role === 'api' ? procs : 0),
      WORKER_PROCS: String(role === 'worker' ? procs : 0),
      APP_DIR: this.paths.current,
      NODE_BIN: process.execPath,
      LOG_DIR: this.paths.logs,
      RUN_DIR: this.paths.run,
      STATE_DIR: this.paths.state,
      LOG_TO_STDOUT: 'false',
      SUPERVISOR_CONF: join(this.paths.current, 'supervisord.conf'),
      DEPLOY_ROOT: this.paths.dir,
      REPO_URL: ROOT,
      // deploy.sh builds as APP_USER when run as root; the release here is built already.
      APP_USER: '',
      ...shared,
    };
  }

  get hostname(): string {
    return hostnameOf(this.name);
  }

  /** Health ports of this host's processes (api: 3001…, worker: 3101…). */
  get ports(): number[] {
    return Array.from({ length: this.procs }, (_, i) => BASE_PORT[this.role] + 1 + i);
  }

  /** `http://<address>:<port>` of process `n` (1-based). */
  url(n = 1): string {
    return `http://${this.address}:${BASE_PORT[this.role] + n}`;
  }

  /** Writes the env file and installs the release with deploy/deploy.sh (it migrates unless told not to). */
  async deploy({ migrate }: { migrate: boolean }): Promise<Ran> {
    // Logs start empty (tests read them); the last run's stay until the next one, for a look.
    rmSync(this.paths.logs, { recursive: true, force: true });
    for (const d of [this.paths.dir, this.paths.logs, this.paths.run, this.paths.state])
      mkdirSync(d, { recursive: true });
    writeEnvFile(this.paths, this.env);
    const ran = await this.onHost(
      ['bash', join(ROOT, 'deploy/deploy.sh'), '--release', ROOT, ...(migrate ? [] : ['--no-migrate'])],
      180_000,
    ); // prettier-ignore
    if (ran.code !== 0) throw new Error(`deploy.sh on ${this.name} failed:\n${ran.out}`);
    return ran;
  }

  /**
   * Starts supervisord as the host's service does (the config of the `current` release, the env
   * file's environment) and waits until every process answers /health/ready.
   */
  async start(timeoutMs = 120_000): Promise<void> {
    const ran = await runOnHost(this.name, ['supervisord', '-c', this.env['SUPERVISOR_CONF']!], this.env);
    if (ran.code !== 0) throw new Error(`supervisord on ${this.name} failed:\n${ran.out}`);
    await this.ready(timeoutMs);
  } // prettier-ignore

  /** Waits until every process of the host answers /health/ready (database and Redis up). */
  async ready(timeoutMs: number): Promise<void> {
    const ready = async (port: number) =>
      (
        await fetch(`http://${this.address}:${port}/health/ready`, {
          signal: AbortSignal.timeout(2000),
        }).catch(() => null)
      )?.status === 200;
    try {
      await waitFor(
        async () => (await Promise.all(this.ports.map(ready))).every(Boolean),
        timeoutMs,
        `${this.name}'s processes to be ready`,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${(await this.ctl('status')).out}\n${this.logTail()}`);
    } // prettier-ignore
  }

  /** `deploy/ctl.sh ARGS` on this host, with its env file: the operator's supervisorctl. */
  ctl(...args: string[]): Promise<Ran> {
    return this.onHost(['sh', join(ROOT, 'deploy/ctl.sh'), ...args], 180_000);
  }

  /** `name → pid` of the host's RUNNING programs (`api:api-1`, `worker:worker-1`). */
  async pids(): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const [name, p] of parseStatus((await this.ctl('status')).out))
      if (p.state === 'RUNNING' && p.pid) found.set(name, p.pid);
    return found;
  }

  /** supervisorctl shutdown: the api stops, each worker finishes its scan, supervisord exits. */
  async stop(): Promise<void> {
    await this.ctl('shutdown');
    const pidFile = join(this.paths.run, 'supervisord.pid');
    await waitFor(() => !supervisordAlive(pidFile), 150_000, `supervisord of ${this.name} to exit`);
  }

  /** Lines of this host's program logs (worker-1.log…) that contain `text`. */
  logLines(text: string): string[] {
    return this.logFiles().flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.includes(text)),
    );
  }

  private logFiles(): string[] {
    try {
      return readdirSync(this.paths.logs)
        .filter((f) => /^(api|worker)-\d+\.log$/.test(f))
        .map((f) => join(this.paths.logs, f));
    } catch {
      return [];
    }
  }

  /** The last lines of every program log, for error messages. */
  logTail(): string {
    return this.logFiles()
      .map((f) => `── ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-10).join('\n')}`)
      .join('\n');
  }

  private onHost(argv: string[], timeoutMs: number): Promise<Ran> {
    return runOnHost(this.name, argv, { ENV_FILE: this.paths.envFile }, timeoutMs);
  }
}

function supervisordAlive(pidFile: string): boolean {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('supervisord');
  } catch {
    return false;
  }
}
