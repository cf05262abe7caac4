// @ts-check
// The host's TLS: a self-signed CA and server certificate for localhost (deploy/tls/self-signed.sh,
// the script a real host would use), and an HTTPS client that trusts exactly that CA.
import { spawnSync } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { HTTPS_PORT, ROOT } from './layout.mjs';
import { say } from './prerequisites.mjs';

/**
 * Makes the CA and the server certificate once; later runs keep them (clients trust the same CA).
 * @param {import('./layout.mjs').HostPaths} paths
 */
export function ensureCertificate(paths) {
  const result = spawnSync(
    'sh',
    [join(ROOT, 'deploy/tls/self-signed.sh'), paths.tls, 'localhost', '127.0.0.1', '::1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error('deploy/tls/self-signed.sh failed');
  for (const line of result.stdout.trim().split('\n').filter(Boolean)) say(line);
}

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body
 */

/**
 * @typedef {object} HttpsOptions
 * @property {Buffer} ca the certificate authority to trust (the host's tls/ca.pem)
 * @property {string} [method] GET unless said
 * @property {Record<string, string>} [headers]
 * @property {string | Buffer} [body]
 * @property {import('node:https').Agent | false} [agent] a keep-alive agent; false: one connection per request; none: Node's global agent
 * @property {number} [port] Nginx's HTTPS port unless said
 * @property {string} [host] 127.0.0.1 unless said
 * @property {string} [servername] the name the certificate must hold: localhost unless said
 * @property {number} [timeoutMs] 10 s unless said
 */

/**
 * One HTTPS request to 127.0.0.1 (in the certificate, unlike whatever "localhost" resolves to
 * first), the certificate checked against `ca` for the name "localhost". Rejects on network
 * errors and timeouts; any status resolves.
 * @param {string} path the path and query, e.g. /health/ready
 * @param {HttpsOptions} opts
 * @returns {Promise<Reply>}
 */
export function httpsRequest(path, opts) {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: opts.host ?? '127.0.0.1',
        servername: opts.servername ?? 'localhost',
        port: opts.port ?? HTTPS_PORT,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca: opts.ca,
        agent: opts.agent,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', fail);
    req.end(opts.body);
  });
}
