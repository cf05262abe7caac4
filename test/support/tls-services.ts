import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './e2e.js';

/**
 * PostgreSQL and Redis that speak only TLS, with certificates of a private CA: what a managed
 * database service (or the fleet's data host) looks like to the apps. Debian's binaries; every
 * file under `dir`, removed by `stop`.
 */
export interface TlsCertificates {
  /** The CA a client trusts (PEM file). */
  ca: string;
  /** Another CA, which signed nothing the servers present: verification against it must fail. */
  otherCa: string;
  cert: string;
  key: string;
}

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/** A CA, a server certificate for `names` (localhost and 127.0.0.1) signed by it, and an unrelated CA. */
export function makeCertificates(
  dir: string,
  names: string[] = ['DNS:localhost', 'IP:127.0.0.1'],
): TlsCertificates {
  mkdirSync(dir, { recursive: true });
  for (const name of ['ca', 'other-ca'])
    openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-days', '2', '-subj', `/CN=market-scanner test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`],
      dir,
    ); // prettier-ignore
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${names.join(',')}\n`);
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `/CN=${names[0]!.replace(/^\w+:/, '')}`, '-keyout', 'server.key', '-out', 'server.csr'],
    dir,
  ); // prettier-ignore
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem'],
    dir,
  ); // prettier-ignore
  return {
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
  };
}

/** redis-server with TLS only (no plain port) and a password. */
export async function startTlsRedis(
  dir: string,
  port: number,
  certs: TlsCertificates,
  password: string,
): Promise<{ stop(): void }> {
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis.pid');
  const args = [
    '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes',
    '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca,
    '--tls-auth-clients', 'no', '--requirepass', password, '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', join(dir, 'redis.log'), '--pidfile', pidFile,
  ]; // prettier-ignore
  const started = spawnSync('redis-server', args, { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`redis-server (TLS) failed: ${started.stderr}`);
  const cli = [
    '--tls',
    '--cacert',
    certs.ca,
    '-h',
    'localhost',
    '-p',
    String(port),
    '-a',
    password,
  ];
  await waitFor(
    () =>
      spawnSync('redis-cli', [...cli, '--no-auth-warning', 'PING'], {
        encoding: 'utf8',
      }).stdout.trim() === 'PONG',
    15_000,
    `TLS redis-server on ${port}`,
  );
  return {
    stop() {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // Not running.
      }
    },
  };
}

const PG_BIN = (() => {
  const versions = spawnSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).stdout.split(
    /\s+/,
  );
  const newest = versions.filter(Boolean).sort((a, b) => Number(b) - Number(a))[0];
  return `/usr/lib/postgresql/${newest}/bin`;
})();

const asPostgres = (command: string, args: string[]) => {
  const res = spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`${command} failed: ${res.stderr}${res.stdout}`);
  return res.stdout;
};

/**
 * A PostgreSQL cluster that accepts only TLS connections from the network (pg_hba `hostssl`,
 * password), owner `scanner` of database `name`. Runs as the postgres user: root owns the test.
 */
export async function startTlsPostgres(
  dir: string,
  port: number,
  certs: TlsCertificates,
  name: string,
  password: string,
): Promise<{ url: (query: string) => string; stop(): void }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const tls = join(dir, 'tls');
  mkdirSync(tls);
  // The server refuses a key file that others may read.
  for (const [from, to] of [
    [certs.cert, 'server.pem'],
    [certs.key, 'server.key'],
  ] as const)
    writeFileSync(join(tls, to), readFileSync(from));
  chmodSync(join(tls, 'server.key'), 0o600);
  const { uid, gid } = pgUser();
  for (const path of [dir, tls, join(tls, 'server.pem'), join(tls, 'server.key')])
    chownSync(path, uid, gid);
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  writeFileSync(
    join(data, 'pg_hba.conf'),
    'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhost all all 0.0.0.0/0 reject\n',
  );
  const options = [
    `-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", '-c ssl=on',
    `-c ssl_cert_file=${join(tls, 'server.pem')}`, `-c ssl_key_file=${join(tls, 'server.key')}`,
    '-c fsync=off',
  ].join(' '); // prettier-ignore
  asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', 'start']);
  const psql = (sql: string) =>
    asPostgres('psql', [
      '-h',
      dir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ]);
  psql(`CREATE ROLE scanner LOGIN PASSWORD '${password}'`);
  psql(`CREATE DATABASE ${name} OWNER scanner`);
  return {
    url: (query) => `postgres://scanner:${password}@localhost:${port}/${name}${query}`,
    stop() {
      spawnSync('runuser', [
        '-u',
        'postgres',
        '--',
        join(PG_BIN, 'pg_ctl'),
        '-D',
        data,
        '-m',
        'immediate',
        'stop',
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}
