import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ensureSynthDatabase } from '../../support/databases.js';
import { waitFor } from '../../support/e2e.js';
import { makeCertificates, type TlsCertificates } from '../../support/tls-services.js';
import { runOnHost, type Ran } from './network.js';

/** The synthetic universe every scan of the fleet runs over (DESIGN §8: 10,000 × 1,260 bars). */
export const SYMBOLS = 10_000;
const DATABASE = 'scanner_fleet_test';
const PG_PORT = 5432;
const REDIS_PORT = 6379;
// A data host of the test's own: the password only keeps the fleet honest about sending one.
const PG_PASSWORD = 'fleet-data-host';

const check = (what: string, ran: Ran): Ran => {
  if (ran.code !== 0) throw new Error(`${what} failed (${ran.code}):\n${ran.out}`);
  return ran;
};

/** PostgreSQL's own home (Debian's postgres user): a directory its server can always reach. */
const POSTGRES_HOME = '/var/lib/postgresql';

/**
 * Where the data host's cluster lives for the checkout at `dir`: under PostgreSQL's home, not in
 * the checkout, because the server runs as `postgres` and must be able to reach its directory — a
 * clone in a `mktemp -d` directory (mode 0700, owned by root) is closed to it. One cluster per
 * checkout, as before (named by a hash of its path), kept between runs.
 */
const clusterDir = (dir: string) =>
  join(
    POSTGRES_HOME,
    'market-scanner-fleet',
    createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16),
  );

/** Debian's newest PostgreSQL server binaries (postgresql-NN), without pg_ctlcluster or systemd. */
function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
    .sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error('no PostgreSQL server under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
}

/**
 * The data host: PostgreSQL and Redis, each listening on the host's own address only and speaking
 * only TLS with certificates of the run's own CA, as a managed database does: the apps verify them
 * in full (`sslmode=verify-full`, `rediss://` with REDIS_TLS_CA_FILE). PostgreSQL's cluster lives under PostgreSQL's home (clusterDir) and outlives a run (initdb and the
 * 10,000-symbol import happen once, like the fault suite's synthetic database); Redis starts empty
 * on every run, with a fresh password, AOF everysec and noeviction as DESIGN §7 asks.
 */
export class DataHost {
  readonly name = 'data';
  readonly redisPassword = randomBytes(18).toString('base64url');
  private readonly pgDir: string;
  private readonly redisDir: string;
  private readonly tlsDir: string;
  private certs?: TlsCertificates;

  constructor(
    readonly address: string,
    dir: string,
  ) {
    this.pgDir = clusterDir(dir);
    this.redisDir = join(dir, 'redis');
    this.tlsDir = join(dir, 'data-tls');
  }

  /** The CA file every client of the data host trusts (REDIS_TLS_CA_FILE, sslrootcert). */
  get caFile(): string {
    return join(this.tlsDir, 'ca.pem');
  }

  /** The apps' DATABASE_URL: the scanner role, with a password, over TCP to the data host. */
  get databaseUrl(): string {
    return `postgres://scanner:${PG_PASSWORD}@${this.address}:${PG_PORT}/${DATABASE}?sslmode=verify-full&sslrootcert=${this.caFile}`;
  }

  get redisUrl(): string {
    return `rediss://:${this.redisPassword}@${this.address}:${REDIS_PORT}/0`;
  }

  /** An ioredis client from the runner (the test's own view of the queue and counters). */
  redis(): Redis {
    const client = new Redis(this.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      tls: { ca: readFileSync(this.caFile) },
    });
    client.on('error', () => {});
    return client;
  }

  async up(): Promise<void> {
    rmSync(this.tlsDir, { recursive: true, force: true });
    this.certs = makeCertificates(this.tlsDir, [`IP:${this.address}`]);
    await this.startPostgres();
    await ensureSynthDatabase(this.databaseUrl, DATABASE, SYMBOLS);
    rmSync(this.redisDir, { recursive: true, force: true });
    await this.startRedis();
  }

  private asPostgres(argv: string[], timeoutMs = 120_000): Promise<Ran> {
    return runOnHost(this.name, ['runuser', '-u', 'postgres', '--', ...argv], {}, timeoutMs);
  }

  private async startPostgres(): Promise<void> {
    const bin = postgresBin();
    if (!existsSync(join(this.pgDir, 'PG_VERSION'))) {
      rmSync(this.pgDir, { recursive: true, force: true });
      mkdirSync(dirname(this.pgDir), { recursive: true });
      mkdirSync(this.pgDir, { mode: 0o700 });
      const { uid, gid } = statSync(POSTGRES_HOME);
      chownSync(this.pgDir, uid, gid);
      check(
        'initdb',
        await this.asPostgres([
          `${bin}/initdb`, '-D', this.pgDir, '-U', 'postgres', '--auth-local=peer',
          '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8',
        ]),
      ); // prettier-ignore
    }
    // Password logins over TLS from the fleet's network (the runner included), nothing else.
    writeFileSync(
      join(this.pgDir, 'pg_hba.conf'),
      'local all all peer\nhostssl all all 10.77.0.0/24 scram-sha-256\n',
    );
    const { cert, key } = this.serverFilesFor(this.pgDir);
    const options = [
      '-c ssl=on',
      `-c ssl_cert_file=${cert}`,
      `-c ssl_key_file=${key}`,
      `-c listen_addresses=${this.address}`,
      `-c port=${PG_PORT}`,
      `-c unix_socket_directories=${this.pgDir}`,
      // 4 app hosts × (api or worker processes) × DB_POOL_SIZE 10, the runner and the CLI.
      '-c max_connections=200',
    ].join(' ');
    const log = join(this.pgDir, 'server.log');
    check(
      'pg_ctl start',
      await this.asPostgres([`${bin}/pg_ctl`, '-D', this.pgDir, '-l', log, '-w', '-t', '120', '-o', options, 'start']),
    ); // prettier-ignore
    const sql = `DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scanner') THEN
        CREATE ROLE scanner LOGIN CREATEDB;
      END IF; END $$;
      ALTER ROLE scanner PASSWORD '${PG_PASSWORD}';`;
    check(
      'creating the scanner role',
      await this.asPostgres([`${bin}/psql`, '-h', this.pgDir, '-p', String(PG_PORT), '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]),
    ); // prettier-ignore
  }

  /** Starts redis-server (again: an existing AOF is loaded back) and waits until it answers PING. */
  async startRedis(): Promise<void> {
    mkdirSync(this.redisDir, { recursive: true });
    check(
      'redis-server',
      await runOnHost(this.name, [
        'redis-server', '--bind', this.address, '--port', '0', '--tls-port', String(REDIS_PORT),
        '--tls-cert-file', this.certs!.cert, '--tls-key-file', this.certs!.key,
        '--tls-ca-cert-file', this.certs!.ca, '--tls-auth-clients', 'no',
        '--requirepass', this.redisPassword, '--daemonize', 'yes',
        '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', '',
        '--dir', this.redisDir, '--logfile', join(this.redisDir, 'redis.log'), '--pidfile', this.redisPidFile,
      ]),
    ); // prettier-ignore
    await waitFor(
      async () => {
        const client = this.redis();
        try {
          return (await client.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      },
      30_000,
      `Redis on ${this.address}`,
    );
  }

  /** The server certificate and key copied where PostgreSQL wants them: owned by it, the key 0600. */
  private serverFilesFor(pgDir: string): { cert: string; key: string } {
    const { uid, gid } = statSync(pgDir);
    const files = { cert: join(pgDir, 'server.pem'), key: join(pgDir, 'server.key') };
    copyFileSync(this.certs!.cert, files.cert);
    copyFileSync(this.certs!.key, files.key);
    chmodSync(files.key, 0o600);
    for (const file of Object.values(files)) chownSync(file, uid, gid);
    return files;
  }

  private get redisPidFile(): string {
    return join(this.redisDir, 'redis.pid');
  }

  redisPid(): number | null {
    try {
      return Number(readFileSync(this.redisPidFile, 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  /** Redis's own clean stop (SIGTERM: the AOF is flushed), waiting until the process is gone. */
  async stopRedis(): Promise<void> {
    const pid = this.redisPid();
    if (!pid) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor(() => !existsSync(`/proc/${pid}`), 30_000, `redis-server ${pid} to exit`);
  }

  /** A fast shutdown of PostgreSQL (sessions ended, checkpoint): the next run starts without recovery. */
  async down(): Promise<void> {
    await this.stopRedis().catch(() => {});
    if (existsSync(join(this.pgDir, 'postmaster.pid')))
      await this.asPostgres([`${postgresBin()}/pg_ctl`, '-D', this.pgDir, '-m', 'fast', '-w', 'stop'], 60_000);
  } // prettier-ignore
}
