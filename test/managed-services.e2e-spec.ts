import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Scan } from '#api-client';
import { cli } from './support/databases.js';
import { freePort, startApp, waitFor } from './support/e2e.js';
import { useStack } from './support/stack.js';
import {
  makeCertificates,
  startTlsPostgres,
  startTlsRedis,
  type TlsCertificates,
} from './support/tls-services.js';

const PASSWORD = 'tls-test-password';
const PREFIX = '{msq}';

/** Why this machine cannot run the suite, or null: it needs root (initdb as postgres) and Debian's binaries. */
function unavailable(): string | null {
  if (process.getuid?.() !== 0)
    return 'needs root to run a PostgreSQL cluster as the postgres user';
  for (const tool of ['runuser', 'openssl', 'redis-server', 'redis-cli'])
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed`;
  if (spawnSync('ls', ['/usr/lib/postgresql']).status !== 0) return 'PostgreSQL is not installed';
  return null;
}
const skip = unavailable();
if (skip) console.log(`# managed services over TLS skipped: ${skip}`);

/**
 * DESIGN §7 beyond one host: the apps against a PostgreSQL that accepts only TLS, verified in full
 * (`sslmode=verify-full`, `sslrootcert=` a private CA), and a Redis that speaks only TLS
 * (`rediss://`, `REDIS_TLS_CA_FILE`) with a password and a hash-tagged queue prefix, as a managed
 * Redis Cluster needs it. One scan through the real api and worker proves every connection.
 */
describe(
  'managed services over TLS (sslmode=verify-full, rediss://)',
  { skip: skip ?? false },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'market-scanner-tls-'));
    // The postgres user runs the cluster below this directory: it may pass through, not list.
    chmodSync(dir, 0o711);
    let certs: TlsCertificates;
    let redisPort = 0;
    let pgUrl: (query: string) => string = () => '';
    const stops: (() => void)[] = [];
    const redisEnv = (ca = certs.ca) => ({
      REDIS_URL: `rediss://:${PASSWORD}@localhost:${redisPort}/0`,
      REDIS_TLS_CA_FILE: ca,
      QUEUE_PREFIX: PREFIX,
    });
    const redisCli = (...args: string[]) =>
    spawnSync(
      'redis-cli',
      ['--tls', '--cacert', certs.ca, '-h', 'localhost', '-p', String(redisPort), '-a', PASSWORD,
        '--no-auth-warning', ...args],
      { encoding: 'utf8' },
    ).stdout; // prettier-ignore

    const stack = useStack({
      database: async () => {
        certs = makeCertificates(join(dir, 'certs'));
        redisPort = await freePort();
        stops.push((await startTlsRedis(join(dir, 'redis'), redisPort, certs, PASSWORD)).stop);
        const pg = await startTlsPostgres(
          join(dir, 'postgres'),
          await freePort(),
          certs,
          'scanner_tls_test',
          PASSWORD,
        );
        stops.push(pg.stop);
        pgUrl = pg.url;
        const url = pg.url(`?sslmode=verify-full&sslrootcert=${certs.ca}`);
        for (const args of [
          ['db', 'migrate'],
          ['data', 'synth', '--symbols', '40'],
        ]) {
          const run = await cli(url, ...args);
          assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
        }
        return url;
      },
      api: () => redisEnv(),
      worker: () => redisEnv(),
      keys: { scanner: 'read,scan' },
      scans: true,
    });
    after(() => {
      for (const stop of stops.reverse()) stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs a scan end to end over both TLS connections, the queue under its hash-tagged prefix', async () => {
      const res = await stack.call<Scan>('/v1/scans?wait=30', {
        method: 'POST',
        key: stack.keys.scanner,
        json: { maxSymbols: 40, minTechRating: 0 },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'completed');
      assert.ok(res.body.result!.results.length > 0);

      const keys = redisCli('--scan', '--pattern', '*').split('\n').filter(Boolean);
      const queueKeys = keys.filter((k) => k.startsWith(`${PREFIX}:`));
      assert.ok(queueKeys.includes(`${PREFIX}:scan:meta`), `queue keys: ${queueKeys.join(', ')}`);
      assert.deepEqual(
        keys.filter((k) => k.startsWith('bull:')),
        [],
        'no key under the default prefix',
      );

      const sessions = await stack.ds.query(
        `SELECT a.application_name, s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.datname = current_database() AND a.application_name LIKE 'market-scanner%'`,
      );
      assert.ok(sessions.length >= 2, 'the api and the worker hold connections');
      assert.ok(
        sessions.every((s: { ssl: boolean }) => s.ssl),
        `every session encrypted: ${JSON.stringify(sessions)}`,
      );
    });

    it('refuses a PostgreSQL whose certificate its CA did not sign, and a connection without TLS', async () => {
      const wrongCa = await cli(
        pgUrl(`?sslmode=verify-full&sslrootcert=${certs.otherCa}`),
        'db',
        'check',
      );
      assert.notEqual(wrongCa.code, 0);
      assert.match(wrongCa.stderr, /certificate/i);
      const plain = await cli(pgUrl('?sslmode=disable'), 'db', 'check');
      assert.notEqual(plain.code, 0);
      assert.match(plain.stderr, /no encryption|pg_hba/i);
    });

    it('keeps an api whose Redis CA is wrong not ready (503), never talking to an unverified server', async () => {
      const api = await startApp('api', {
        DATABASE_URL: pgUrl(`?sslmode=verify-full&sslrootcert=${certs.ca}`),
        ...redisEnv(certs.otherCa),
      });
      try {
        await waitFor(
          async () => (await fetch(`${api.url}/health/ready`)).status === 503,
          15_000,
          'ready to report Redis down',
        );
        const body = (await (await fetch(`${api.url}/health/ready`)).json()) as Record<
          string,
          unknown
        >;
        assert.match(JSON.stringify(body), /redis/i);
      } finally {
        await api.stop();
      }
    });
  },
);
