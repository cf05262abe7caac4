import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../../src/bootstrap/host/layout.mjs';
import { httpsRequest } from '../../../src/bootstrap/host/tls.mjs';
import { runOnHost } from './network.js';

/**
 * deploy/nginx/render.mjs itself, not a compiled copy: it reads the template beside it. Plain
 * JavaScript: the options it is given here, typed.
 */
interface Render {
  renderSite(o: Record<string, unknown>): string;
  renderMain(o: Record<string, unknown>): string;
}
const render = (): Promise<Render> =>
  import(pathToFileURL(join(ROOT, 'deploy/nginx/render.mjs')).href) as Promise<Render>;

/**
 * Nginx's passive health check on the edge (deploy/nginx/render.mjs --max-fails/--fail-timeout):
 * one failed request to an api host takes it out of rotation for this long, then one request
 * probes it again. The api-partition test measures against it.
 */
export const FAIL_TIMEOUT_SECONDS = 10;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * The edge host: Nginx with TLS in front of the api hosts, the site rendered by
 * deploy/nginx/render.mjs from the production template with the api hosts as upstreams, the
 * certificate made by deploy/tls/self-signed.sh for the edge's name and address.
 */
export class EdgeHost {
  readonly name = 'edge';
  readonly serverName = 'fleet-edge';
  private readonly tls: string;
  /** Nginx's prefix: nginx.conf, site.conf, logs/ (access.log: one JSON line per request). */
  readonly nginxDir: string;
  ca: Buffer = Buffer.alloc(0);

  constructor(
    readonly address: string,
    dir: string,
  ) {
    this.tls = join(dir, 'tls');
    this.nginxDir = join(dir, 'nginx');
  }

  private get own(): string[] {
    const conf = join(this.nginxDir, 'nginx.conf');
    return ['-e', join(this.nginxDir, 'logs/error.log'), '-c', conf, '-p', `${this.nginxDir}/`];
  }

  /** Renders the site for `upstreams` (HOST:PORT of every api process), tests it and starts Nginx. */
  async up(upstreams: string[]): Promise<void> {
    const made = spawnSync(
      'sh',
      [join(ROOT, 'deploy/tls/self-signed.sh'), this.tls, this.serverName, this.address],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`self-signed.sh failed: ${made.stderr}`);
    this.ca = readFileSync(join(this.tls, 'ca.pem'));
    // The access log starts empty: the api-partition test reads it by request id.
    rmSync(join(this.nginxDir, 'logs'), { recursive: true, force: true });
    for (const d of ['logs', 'temp', 'acme'])
      mkdirSync(join(this.nginxDir, d), { recursive: true });
    const { renderSite, renderMain } = await render();
    const site = renderSite({
      serverName: this.serverName,
      httpListen: [`${this.address}:80`],
      httpsListen: [`${this.address}:443`],
      certificate: join(this.tls, 'server.pem'),
      certificateKey: join(this.tls, 'server.key'),
      upstreams,
      maxFails: 1,
      failTimeout: `${FAIL_TIMEOUT_SECONDS}s`,
      acmeRoot: join(this.nginxDir, 'acme'),
      accessLog: join(this.nginxDir, 'logs/access.log'),
      // The per-address limits: every request of the tests comes from the runner's one address.
      ratePerSecond: 5000,
      rateBurst: 10000,
      readyRatePerSecond: 5000,
      readyBurst: 10000,
      connectionsPerAddress: 10000,
    });
    writeFileSync(join(this.nginxDir, 'site.conf'), site);
    const user = spawnSync('id', ['www-data']).status === 0 ? 'www-data' : 'nobody';
    writeFileSync(
      join(this.nginxDir, 'nginx.conf'),
      renderMain({ prefix: this.nginxDir, siteFile: join(this.nginxDir, 'site.conf'), user }),
    );
    const test = await runOnHost(this.name, ['nginx', '-t', '-q', ...this.own]);
    if (test.code !== 0) throw new Error(`nginx -t failed:\n${test.out}`);
    const started = await runOnHost(this.name, ['nginx', ...this.own]);
    if (started.code !== 0) throw new Error(`nginx failed to start:\n${started.out}`);
  }

  /** Graceful quit: connections in progress finish. */
  async down(): Promise<void> {
    await runOnHost(this.name, ['nginx', '-s', 'quit', ...this.own], {}, 15_000);
  }

  /** One HTTPS request to the edge, its certificate checked against the fleet's CA. */
  call(
    path: string,
    opts: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      timeoutMs?: number;
    } = {},
  ): Promise<Answer> {
    return httpsRequest(path, {
      ...opts,
      host: this.address,
      servername: this.serverName,
      port: 443,
      ca: this.ca,
      // A connection per request, as a phone's first request makes: none is reused across a cut.
      agent: false,
    });
  }
}
