// @ts-check
// For whoever drives a host from outside (the ops and fault tests, bench:load): host:up and
// host:down as child processes, as an operator runs them, and deploy/ctl.sh, the operator's
// supervisorctl.
import { join } from 'node:path';
import { canConnect } from '../provision.mjs';
import { hostPaths, hostPorts, ROOT } from './layout.mjs';
import { capture } from './processes.mjs';

/**
 * `node src/bootstrap/host.mjs up|down` with `env` on top of ours; its exit code and output.
 * @param {'up' | 'down'} verb
 * @param {NodeJS.ProcessEnv} [env]
 * @param {number} [timeoutMs]
 */
export function runHost(verb, env = {}, timeoutMs = verb === 'up' ? 300_000 : 240_000) {
  return capture(process.execPath, [join(ROOT, 'src/bootstrap/host.mjs'), verb], {
    env,
    cwd: ROOT,
    timeoutMs,
  });
}

/**
 * `deploy/ctl.sh ARGS` with the host's env file. supervisorctl exits non-zero when a program is not
 * RUNNING: the output is what tells.
 * @param {string[]} args
 * @param {number} [timeoutMs]
 */
export function ctl(args, timeoutMs = 180_000) {
  return capture('sh', [join(ROOT, 'deploy/ctl.sh'), ...args], {
    env: { ENV_FILE: hostPaths().envFile },
    cwd: ROOT,
    timeoutMs,
  });
}

/**
 * The ports of the host that something on 127.0.0.1 already listens on (host:up refuses to start
 * over them; bench:load refuses to take over a host it did not start).
 * @param {import('./layout.mjs').HostPaths} [paths]
 * @returns {Promise<number[]>}
 */
export async function busyPorts(paths = hostPaths()) {
  const busy = [];
  for (const port of hostPorts(paths))
    if (await canConnect('127.0.0.1', port, 300)) busy.push(port);
  return busy;
}
