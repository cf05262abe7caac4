import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '../../support/e2e.js';
import { alive } from '../../ops/support/host.js';

const answers = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(300);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });

/** A configuration file read before the flags below (a host's, say), and the password it sets. */
export interface RedisServerOptions {
  configFile?: string;
  password?: string;
}

/**
 * A Redis server of the fault suite's own, configured as production runs it (DESIGN §7: AOF
 * everysec, noeviction), so the suite can crash and restart it without touching the Redis every
 * other suite shares. Debian's redis-server binary; its files live in `dir`. The e2e spec of the
 * host's Redis (redis-auth.e2e-spec.ts) starts one from the file deploy/redis/configure.sh wrote.
 */
export class RedisServer {
  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions = {},
  ) {}

  get url(): string {
    const auth = this.options.password ? `:${encodeURIComponent(this.options.password)}@` : '';
    return `redis://${auth}127.0.0.1:${this.port}/0`;
  }

  private get pidFile(): string {
    return join(this.dir, 'redis.pid');
  }

  pid(): number | null {
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      return pid && alive(pid) ? pid : null;
    } catch {
      return null;
    }
  }

  /** A fresh data set (no AOF left from an earlier run). */
  async reset(): Promise<void> {
    await this.stop('kill');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Starts it on the same port and files: whatever its AOF holds is loaded back. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const args = [
      ...(this.options.configFile ? [this.options.configFile] : []),
      '--port', String(this.port), '--bind', '127.0.0.1', '--daemonize', 'yes',
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', '',
      '--dir', this.dir, '--logfile', join(this.dir, 'redis.log'), '--pidfile', this.pidFile,
    ]; // prettier-ignore
    const started = spawnSync('redis-server', args, { encoding: 'utf8' });
    if (started.status !== 0)
      throw new Error(`redis-server failed to start: ${started.stderr}${started.stdout}`);
    // Answering PING means the AOF is loaded (Redis refuses commands with LOADING before).
    await waitFor(
      async () => (await answers(this.port)) && this.ping(),
      30_000,
      `redis-server on ${this.port}`,
    );
  }

  /**
   * `shutdown`: SIGTERM, Redis's own clean stop (AOF flushed). `kill`: SIGKILL, a crash — writes of
   * the last second may be lost (appendfsync everysec), so callers leave a second before it.
   */
  async stop(how: 'shutdown' | 'kill'): Promise<void> {
    const pid = this.pid();
    if (!pid) return;
    process.kill(pid, how === 'kill' ? 'SIGKILL' : 'SIGTERM');
    await waitFor(() => !alive(pid), 30_000, `redis-server ${pid} to exit`);
    await waitFor(async () => !(await answers(this.port)), 5_000, `port ${this.port} to close`);
  }

  private ping(): boolean {
    const res = spawnSync('redis-cli', ['-p', String(this.port), 'PING'], {
      encoding: 'utf8',
      env: this.options.password
        ? { ...process.env, REDISCLI_AUTH: this.options.password }
        : process.env,
    });
    return res.stdout.trim() === 'PONG';
  }
}
