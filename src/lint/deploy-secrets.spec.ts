// The secrets and exposure of the deployment files, read as the tools read them: docker-compose.yml
// parsed as YAML (anchors and merge keys resolved), the shell scripts and the runbook as text. No
// Docker engine runs here; `docker-compose config` (the ops suite) checks the file further.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseTrustProxy } from '#config';

// Compiled to dist/src/lint/: the repository root is three up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  command?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  networks: { default: { ipam: { config: { subnet: string }[] } } };
};
const env = (service: string) => compose.services[service]?.environment ?? {};

/** The commands deploy/redis/hardening.conf disables. */
const disabled = [
  ...read('deploy/redis/hardening.conf').matchAll(/^rename-command (\S+) ""$/gm),
].map((m) => m[1]!);

describe('docker-compose.yml', () => {
  it('takes Grafana’s admin password from the environment, with no default, and allows no anonymous access', () => {
    const grafana = env('grafana');
    assert.match(
      grafana['GF_SECURITY_ADMIN_PASSWORD'] ?? '',
      /^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/,
    );
    assert.strictEqual(grafana['GF_AUTH_ANONYMOUS_ENABLED'], 'false');
    assert.equal(grafana['GF_AUTH_ANONYMOUS_ORG_ROLE'], undefined);
    assert.doesNotMatch(read('docker-compose.yml'), /PASSWORD:-/, 'no password has a default');
  });

  it('runs Redis with a required password and the commands of hardening.conf disabled', () => {
    const redis = compose.services['redis']!;
    assert.match(env('redis')['REDIS_PASSWORD'] ?? '', /^\$\{REDIS_PASSWORD\?[^}]+\}$/);
    const command = [redis.command ?? []].flat().join(' ');
    assert.match(
      command,
      /set -- \/etc\/redis\/hardening\.conf --requirepass "\$\$REDIS_PASSWORD"/,
    );
    assert.match(command, /exec redis-server "\$\$@" .*--maxmemory-policy noeviction/);
    assert.ok(
      redis.volumes?.includes('./deploy/redis/hardening.conf:/etc/redis/hardening.conf:ro'),
    );
    // Without the password Redis answers PING with NOAUTH and redis-cli still exits 0.
    assert.match(redis.healthcheck!.test.join(' '), /REDISCLI_AUTH=.*grep -q PONG/);
    assert.ok(disabled.length >= 9, disabled.join(' '));
  });

  it('gives every app container a REDIS_URL with the password', () => {
    for (const name of ['migrate', 'api', 'worker'])
      assert.equal(env(name)['REDIS_URL'], 'redis://:${REDIS_PASSWORD}@redis:6379/0', name);
  });

  it('trusts X-Forwarded-For from the network it fixes, and only from there', () => {
    const [subnet] = compose.networks.default.ipam.config.map((c) => c.subnet);
    assert.ok(subnet, 'the default network has a fixed subnet');
    assert.equal(env('api')['TRUST_PROXY'], subnet);
    assert.deepEqual(parseTrustProxy(subnet), { ranges: [subnet] });
  });
});

describe('the host scripts and the runbook', () => {
  it('provision Redis through configure.sh with a root-only password and check it without CONFIG', () => {
    const provision = read('deploy/ec2/provision.sh');
    assert.match(
      provision,
      /redis\/configure\.sh" --main-conf "\$REDIS_CONF" --secret "\$ETC\/redis-password"/,
    );
    assert.match(
      provision,
      /== \*NOAUTH\* \]\] \|\| die/,
      'a client without the password is refused',
    );
    assert.match(provision, /info memory .*\n.*maxmemory_policy:noeviction/);
  });

  it('never send a command the hardened Redis refuses', () => {
    const scripts = ['deploy', 'deploy/ec2', 'deploy/redis', 'deploy/tls', 'deploy/nginx'].flatMap(
      (dir) =>
        readdirSync(join(ROOT, dir))
          .filter((f) => f.endsWith('.sh'))
          .map((f) => join(dir, f)),
    );
    const sources = [...scripts, 'docs/operations.md'];
    const offending = new RegExp(`redis6?-cli\\b[^\\n|]*\\b(${disabled.join('|')})\\b`, 'i');
    for (const path of sources) assert.doesNotMatch(read(path), offending, path);
  });
});
