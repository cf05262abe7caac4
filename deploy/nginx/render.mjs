// Renders deploy/nginx/market-scanner.conf.template (and, for `npm run host:up`, a whole private
// nginx.conf around it). Plain Node, no dependencies: it runs on a fresh host before any install.
//
//   node deploy/nginx/render.mjs --out /etc/nginx/conf.d/market-scanner.conf \
//     --server-name api.example.com --cert /etc/letsencrypt/live/api.example.com/fullchain.pem \
//     --key /etc/letsencrypt/live/api.example.com/privkey.pem --api-procs 2
//
// Options (all optional): --server-name (_), --http-listen / --https-listen (repeatable; 80 / 443),
// --https-redirect-port (when HTTPS is not on 443), --cert, --key, --api-procs N (127.0.0.1:3001..)
// or --upstream HOST:PORT (repeatable), --max-fails N and --fail-timeout T (passive health check of
// the upstreams; default: never marked down), --acme-root, --access-log, --body-limit, --rate, --burst,
// --ready-rate, --ready-burst, --connections (defaults: EDGE_LIMITS).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'market-scanner.conf.template');

/**
 * Nginx's limits per client address (docs/operations.md): requests per second and burst for every
 * route, the same for /health/ready alone, and connections with a request in progress (an open
 * WebSocket counts) at once. The ops suite checks the ready and connection limits at these values.
 */
export const EDGE_LIMITS = Object.freeze({
  ratePerSecond: 50,
  rateBurst: 200,
  readyRatePerSecond: 10,
  readyBurst: 20,
  connectionsPerAddress: 100,
});

/** Upstream addresses of `procs` api processes: api-n listens on 3000 + n (supervisord.conf). */
export const apiUpstreams = (procs, host = '127.0.0.1') =>
  Array.from({ length: procs }, (_, i) => `${host}:${3001 + i}`);

/** Fills every `{{NAME}}`; a placeholder without a value (or a value without a placeholder) throws. */
export function fill(template, values) {
  const used = new Set();
  const out = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`nginx template: no value for {{${name}}}`);
    used.add(name);
    return String(values[name]);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`nginx template: no placeholder for ${unused.join(', ')}`);
  return out;
}

/** The site (http-context) configuration. */
export function renderSite(o = {}) {
  const upstreams = o.upstreams ?? apiUpstreams(o.apiProcs ?? 2);
  if (upstreams.length === 0) throw new Error('nginx template: no api upstream');
  // Nginx's passive health check. Without maxFails, max_fails=0: never mark a process down. A process
  // of this host that is restarting costs one refused connect on loopback before the retry; marking
  // it down for fail_timeout instead let a rolling restart take the other process away while Nginx
  // still shunned the first ("no live upstreams", 502). Api hosts across a network are another
  // matter: one that is cut off or dead refuses nothing, and every request sent to it waits for a
  // timeout; maxFails 1 takes it out of rotation for failTimeout after one failure, then Nginx
  // tries it with one request again (docs/scaling.md, the fleet).
  const health = o.maxFails
    ? ` max_fails=${o.maxFails} fail_timeout=${o.failTimeout ?? '10s'}`
    : ' max_fails=0';
  const servers = upstreams.map((u) => `    server ${u}${health};`).join('\n');
  const listen = (addresses, suffix) =>
    addresses.map((a) => `    listen ${a}${suffix};`).join('\n');
  const redirectPort =
    o.httpsRedirectPort && String(o.httpsRedirectPort) !== '443' ? `:${o.httpsRedirectPort}` : '';
  return fill(readFileSync(TEMPLATE, 'utf8'), {
    UPSTREAM_SERVERS: servers,
    LISTEN_HTTP: listen(o.httpListen ?? ['80', '[::]:80'], ''),
    LISTEN_HTTPS: listen(o.httpsListen ?? ['443', '[::]:443'], ' ssl'),
    SERVER_NAME: o.serverName ?? '_',
    HTTPS_REDIRECT_PORT: redirectPort,
    TLS_CERTIFICATE: o.certificate ?? '/etc/market-scanner/tls/server.pem',
    TLS_CERTIFICATE_KEY: o.certificateKey ?? '/etc/market-scanner/tls/server.key',
    ACME_ROOT: o.acmeRoot ?? '/var/www/certbot',
    ACCESS_LOG: o.accessLog ?? '/var/log/nginx/market-scanner.access.log',
    BODY_LIMIT: o.bodyLimit ?? '1m',
    RATE_PER_SECOND: o.ratePerSecond ?? EDGE_LIMITS.ratePerSecond,
    RATE_BURST: o.rateBurst ?? EDGE_LIMITS.rateBurst,
    READY_RATE_PER_SECOND: o.readyRatePerSecond ?? EDGE_LIMITS.readyRatePerSecond,
    READY_BURST: o.readyBurst ?? EDGE_LIMITS.readyBurst,
    CONNECTIONS_PER_ADDRESS: o.connectionsPerAddress ?? EDGE_LIMITS.connectionsPerAddress,
  });
}

/**
 * A complete nginx.conf for a private Nginx (`nginx -c FILE -p PREFIX`), as `npm run host:up` runs
 * it: pid, logs and temp files under `prefix`, nothing read from or written to /etc/nginx.
 */
export function renderMain({ prefix, siteFile, user, workerProcesses = 2, keepEnv = [] }) {
  const temp = (name) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  return [
    '# Generated by src/bootstrap/host.mjs: a private Nginx for `npm run host:up`. Do not edit.',
    user ? `user ${user};` : '# not root: workers run as the current user',
    `worker_processes ${workerProcesses};`,
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'logs', 'error.log')} warn;`,
    // Nginx clears its workers' environment; keep the marker `host:down` looks for.
    ...keepEnv.map((name) => `env ${name};`),
    'events { worker_connections 1024; }',
    'http {',
    '    default_type application/octet-stream;',
    '    sendfile on;',
    '    keepalive_timeout 65s;',
    `    ${temp('client_body')}`,
    `    ${temp('proxy')}`,
    `    ${temp('fastcgi')}`,
    `    ${temp('uwsgi')}`,
    `    ${temp('scgi')}`,
    `    include ${siteFile};`,
    '}',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'server-name': { type: 'string' },
      'http-listen': { type: 'string', multiple: true },
      'https-listen': { type: 'string', multiple: true },
      'https-redirect-port': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'api-procs': { type: 'string' },
      upstream: { type: 'string', multiple: true },
      'max-fails': { type: 'string' },
      'fail-timeout': { type: 'string' },
      'acme-root': { type: 'string' },
      'access-log': { type: 'string' },
      'body-limit': { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'ready-rate': { type: 'string' },
      'ready-burst': { type: 'string' },
      connections: { type: 'string' },
    },
  });
  const text = renderSite({
    serverName: values['server-name'],
    httpListen: values['http-listen'],
    httpsListen: values['https-listen'],
    httpsRedirectPort: values['https-redirect-port'],
    certificate: values.cert,
    certificateKey: values.key,
    apiProcs: values['api-procs'] ? Number(values['api-procs']) : undefined,
    upstreams: values.upstream,
    maxFails: values['max-fails'] ? Number(values['max-fails']) : undefined,
    failTimeout: values['fail-timeout'],
    acmeRoot: values['acme-root'],
    accessLog: values['access-log'],
    bodyLimit: values['body-limit'],
    ratePerSecond: values.rate,
    rateBurst: values.burst,
    readyRatePerSecond: values['ready-rate'],
    readyBurst: values['ready-burst'],
    connectionsPerAddress: values.connections,
  });
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
}
