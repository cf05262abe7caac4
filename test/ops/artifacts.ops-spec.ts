import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { waitFor } from '../support/e2e.js';
import { API_PORTS, listeners, run, WORKER_PORTS } from './support/host.js';

/**
 * The deployment files that no host:up exercises end to end here (there is no Docker engine, no EC2,
 * no GitHub): each is at least parsed by the tool that will read it, where that tool is installed.
 */
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'market-scanner-ops-'));

interface Render {
  renderSite(o: Record<string, unknown>): string;
  renderMain(o: Record<string, unknown>): string;
}

describe('deployment files', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('renders the production Nginx site (ports 80/443, IPv6, 3 api processes) and nginx -t accepts it', async () => {
    const render = (await import(pathToFileURL(resolve('deploy/nginx/render.mjs')).href)) as Render;
    const tls = join(scratch, 'tls');
    const made = await run('sh', ['deploy/tls/self-signed.sh', tls, 'api.example.com']);
    assert.equal(made.code, 0, made.out);
    const site = render.renderSite({
      serverName: 'api.example.com',
      certificate: join(tls, 'server.pem'),
      certificateKey: join(tls, 'server.key'),
      apiProcs: 3,
      accessLog: join(scratch, 'access.log'),
    });
    assert.match(site, /listen 443 ssl;\n {4}listen \[::\]:443 ssl;/);
    assert.match(site, /server 127\.0\.0\.1:3003 max_fails=0;/);
    assert.match(
      site,
      /return 301 https:\/\/\$host\$request_uri;/,
      'no port in the redirect on 443',
    );
    assert.doesNotMatch(site, /\{\{/);
    writeFileSync(join(scratch, 'site.conf'), site);
    spawnSync('mkdir', ['-p', join(scratch, 'temp'), join(scratch, 'logs')]);
    writeFileSync(
      join(scratch, 'nginx.conf'),
      render.renderMain({ prefix: scratch, siteFile: join(scratch, 'site.conf') }),
    );
    const test = await run('nginx', [
      '-t',
      '-e',
      join(scratch, 'error.log'),
      '-c',
      join(scratch, 'nginx.conf'),
      '-p',
      `${scratch}/`,
    ]);
    assert.equal(test.code, 0, test.out);
    assert.throws(() => render.renderSite({ upstreams: [] }), /no api upstream/);
  });

  it(
    'runs supervisord.conf in container mode: program output reaches supervisord stdout, SIGTERM stops all',
    { timeout: 60_000 },
    async (t) => {
      const busy = [API_PORTS[0]!, WORKER_PORTS[0]!].filter((p) => listeners().has(p));
      if (busy.length) return t.skip(`ports ${busy.join(', ')} are in use (a host is up)`);
      const dirs = Object.fromEntries(
        ['logs', 'run', 'state'].map((d) => [d, join(scratch, `sv-${d}`)]),
      );
      for (const d of Object.values(dirs)) spawnSync('mkdir', ['-p', d]);
      // supervisord's stdout is a file here, as it is a pipe in a container (a socket, which is what
      // a plain spawn() gives, cannot be reopened through /proc).
      const outFile = join(scratch, 'supervisord.out');
      const fd = openSync(outFile, 'w');
      const child = spawn('supervisord', ['-n', '-c', 'supervisord.conf'], {
        env: {
          ...process.env,
          APP_DIR: resolve('.'),
          NODE_BIN: process.execPath,
          LOG_DIR: dirs['logs'],
          RUN_DIR: dirs['run'],
          STATE_DIR: dirs['state'],
          API_PROCS: '1',
          WORKER_PROCS: '1',
          LOG_TO_STDOUT: 'true',
          LOG_LEVEL: 'info',
          NODE_ENV: 'production',
        },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const out = () => readFileSync(outFile, 'utf8');
      try {
        // The apps' own JSON log lines (pino), copied to supervisord's stdout by the event listener.
        await waitFor(
          () => /"msg":"Nest application successfully started"/.test(out()),
          30_000,
          'app log lines on stdout',
        ).catch((e: Error) => {
          throw new Error(`${e.message}\n${out().slice(-3000)}`);
        });
        // …and the log files keep them too.
        const logged = (f: string) =>
          /Nest application successfully started/.test(
            readFileSync(join(dirs['logs']!, f), 'utf8'),
          );
        await waitFor(
          () => logged('api-1.log') && logged('worker-1.log'),
          30_000,
          'the same lines in api-1.log and worker-1.log',
        );
        const started = out().match(/"msg":"Nest application successfully started"/g) ?? [];
        await waitFor(
          () => (out().match(/"msg":"Nest application successfully started"/g) ?? []).length >= 2,
          10_000,
          'both apps on stdout',
        );
        assert.ok(started.length >= 1);
      } finally {
        child.kill('SIGTERM');
        await waitFor(
          () => child.exitCode !== null || child.signalCode !== null,
          30_000,
          'supervisord to exit',
        );
      }
      assert.equal(child.exitCode, 0, out().slice(-2000));
      assert.match(out(), /stopped: api-1 \(exit status 0\)/);
      assert.match(out(), /stopped: worker-1 \(exit status 0\)/);
    },
  );

  it(
    'validates docker-compose.yml with docker compose (or docker-compose)',
    { timeout: 360_000 },
    async (t) => {
      const v2 = spawnSync('docker', ['compose', 'version']).status === 0;
      // Without the compose plugin, Debian's docker-compose (a 0.5 MB Python package) checks the file
      // against the Compose schema just as well; installed here like the suite's Nginx and Supervisor.
      if (!v2 && !has('docker-compose') && process.getuid?.() === 0 && has('apt-get')) {
        const env = { DEBIAN_FRONTEND: 'noninteractive' };
        const install = () =>
          run(
            'apt-get',
            ['install', '-y', '-q', '--no-install-recommends', 'docker-compose'],
            env,
            300_000,
          );
        if ((await install()).code !== 0)
          await run('apt-get', ['update', '-q'], env, 300_000).then(install);
      }
      if (!v2 && !has('docker-compose'))
        return t.skip(
          'neither `docker compose` nor `docker-compose` is installed (nor installable)',
        );
      // The two secrets have no default: compose refuses the file without either of them (an
      // empty .env stands in for one a developer may keep beside the file).
      writeFileSync(join(scratch, 'empty.env'), '');
      const [bin, ...pre] = v2 ? ['docker', 'compose'] : ['docker-compose'];
      const config = (secrets: Record<string, string>) => {
        const env: NodeJS.ProcessEnv = { ...process.env, ...secrets };
        for (const name of ['REDIS_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'])
          if (!(name in secrets)) delete env[name];
        const args = ['--env-file', join(scratch, 'empty.env'), '-f', 'docker-compose.yml'];
        const res = spawnSync(bin!, [...pre, ...args, 'config', '-q'], { env, encoding: 'utf8' });
        return { code: res.status, out: `${res.stdout}${res.stderr}` };
      };
      const both = { REDIS_PASSWORD: 'f00d', GRAFANA_ADMIN_PASSWORD: 'g' };
      const valid = config(both);
      assert.equal(valid.code, 0, valid.out);
      const noGrafana = config({ REDIS_PASSWORD: 'f00d' });
      assert.notEqual(noGrafana.code, 0);
      assert.match(noGrafana.out, /set GRAFANA_ADMIN_PASSWORD/);
      const noRedis = config({ GRAFANA_ADMIN_PASSWORD: 'g' });
      assert.notEqual(noRedis.code, 0);
      assert.match(noRedis.out, /set REDIS_PASSWORD/);
      // Set but empty: the explicit opt-out `npm start` uses for a developer's local services.
      const optOut = config({ ...both, REDIS_PASSWORD: '' });
      assert.equal(optOut.code, 0, optOut.out);
    },
  );

  it(
    'validates the Prometheus configuration and alert rules with promtool',
    { timeout: 60_000 },
    async (t) => {
      if (!has('promtool')) return t.skip('promtool is not installed (Debian package prometheus)');
      const config = await run('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml']);
      assert.equal(config.code, 0, config.out);
      const rules = await run('promtool', ['check', 'rules', 'deploy/prometheus/alerts.yml']);
      assert.equal(rules.code, 0, rules.out);
    },
  );

  it('queries only metrics the apps, Node and the blackbox exporter export (dashboard and alerts)', () => {
    const dashboard = JSON.parse(
      readFileSync('deploy/grafana/dashboards/market-scanner.json', 'utf8'),
    );
    const exprs: string[] = dashboard.panels.flatMap((p: any) =>
      (p.targets ?? []).map((t: any) => t.expr as string),
    );
    exprs.push(
      ...[
        ...readFileSync('deploy/prometheus/alerts.yml', 'utf8').matchAll(
          /expr: (?:\|\n)?([\s\S]+?)\n\s+(?:for|labels):/g,
        ),
      ].map((m) => m[1]!),
    );
    assert.ok(exprs.length > 15);
    const defined = readFileSync('libs/observability/metrics.ts', 'utf8');
    const names = new Set(
      exprs.flatMap((e) =>
        [
          ...e.matchAll(
            /\b([a-z_]+(?:_total|_seconds|_bytes|_jobs|_connections|_expiry|_success|_p99_seconds)(?:_bucket|_count|_sum)?|up)\b(?=\{|\[|\)| |$)/g,
          ),
        ].map((m) => m[1]!),
      ),
    );
    for (const name of names) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      const known = defined.includes(`'${base}'`) || /^(up|process_|nodejs_|probe_)/.test(base);
      assert.ok(known, `${name} is not exported by anything we scrape`);
    }
  });

  it('keeps every shell script syntactically valid (and shellcheck-clean where shellcheck is installed)', async () => {
    const scripts = ['deploy', 'deploy/tls', 'deploy/nginx', 'deploy/ec2', 'deploy/redis'].flatMap(
      (d) =>
        readdirSync(d)
          .filter((f) => f.endsWith('.sh'))
          .map((f) => join(d, f)),
    );
    assert.ok(scripts.length >= 7, scripts.join(' '));
    for (const script of scripts) {
      const shell = readFileSync(script, 'utf8').startsWith('#!/usr/bin/env bash') ? 'bash' : 'sh';
      const res = await run(shell, ['-n', script]);
      assert.equal(res.code, 0, `${script}: ${res.out}`);
    }
    if (has('shellcheck')) {
      const res = await run('shellcheck', ['-x', ...scripts]);
      assert.equal(res.code, 0, res.out);
    }
  });
});
