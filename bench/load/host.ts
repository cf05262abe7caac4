/**
 * The production topology for `npm run bench:load`: `host:up` (src/bootstrap/host.mjs) with limits
 * raised, the bench's own Redis database, the pids to sample, and the way back down. Paths, ports,
 * the host commands and supervisorctl's status are the host module's own (src/bootstrap/host/).
 *
 * On this shared machine the bench never takes over a host it did not start: a host already up
 * (someone's demo, another checkout's tests) or a Redis database with other clients makes it refuse.
 */
import { existsSync, readFileSync } from 'node:fs';
import { busyPorts, ctl, runHost } from '../../src/bootstrap/host/control.mjs';
import { hostPaths } from '../../src/bootstrap/host/layout.mjs';
import { readPid } from '../../src/bootstrap/host/processes.mjs';
import { parseStatus } from '../../src/bootstrap/host/supervisor.mjs';
import type { Pids } from './procs.js';

const paths = hostPaths();

/**
 * What host:up gets on top of the environment: the bench measures capacity, not the limiters.
 * 1,000,000 per minute is the schema's maximum, far above any rate here, and every request still
 * increments its counter in Redis (the limiter's cost stays in the figures). Nginx's per-address
 * backstop is raised the same way: all the load comes from one address.
 */
export const RAISED_LIMITS: Record<string, string> = {
  RATE_LIMIT_ITEMS_READ: '1000000',
  RATE_LIMIT_PREDICT: '1000000',
  RATE_LIMIT_SCANS_CREATE: '1000000',
  RATE_LIMIT_SCANS_READ: '1000000',
  NGINX_RATE_PER_SECOND: '100000',
  NGINX_RATE_BURST: '100000',
  NGINX_CONNECTIONS_PER_ADDRESS: '100000',
};

/** Refuses (throws) when any host:up port answers or this checkout's host has a state file. */
export async function assertNoHost(): Promise<void> {
  const busy = await busyPorts(paths);
  if (busy.length)
    throw new Error(
      `port(s) ${busy.join(', ')} answer: a host is already up (a demo or another checkout's tests). ` +
        'The bench does not take it over: wait until it is down (run the bench under flock /tmp/ms-host.lock).',
    );
  if (existsSync(paths.stateFile))
    throw new Error(
      '.local/host/state.json exists: this checkout has a host up or half down; run npm run host:down first',
    );
}

/** Runs host:up or host:down with `env` on top of ours; throws with the end of its output on failure. */
async function host(verb: 'up' | 'down', env: Record<string, string>): Promise<void> {
  const { code, out } = await runHost(verb, env);
  if (code !== 0) throw new Error(`host:${verb} exited with ${code}:\n${out.slice(-20_000)}`);
}

export const hostUp = (env: Record<string, string>) => host('up', env);
export const hostDown = () => host('down', {});

/** The host's CA certificate (the bench checks Nginx's certificate against it, never skips the check). */
export const hostCa = () => readFileSync(paths.ca);

/** The pids of the nginx master and of each api and worker program (all must be RUNNING). */
export async function hostPids(): Promise<Pick<Pids, 'nginxMaster' | 'programs'>> {
  const nginxMaster = readPid(paths.nginxPid);
  if (!nginxMaster) throw new Error(`no nginx pid in ${paths.nginxPid}`);
  return { nginxMaster, programs: await currentProgramPids() };
}

/** The programs' pids now (a restart under load shows as a changed pid). */
export const currentProgramPids = async (): Promise<Pids['programs']> =>
  programPids((await ctl(['status'])).out);

/** Pids of the programs from `supervisorctl status` output ("api:api-1  RUNNING  pid 123, …"). */
export function programPids(status: string): Pids['programs'] {
  const found: Record<string, number> = {};
  for (const [name, { state, pid }] of parseStatus(status)) {
    const program = name.split(':')[1];
    if (program && state === 'RUNNING' && pid) found[program] = pid;
  }
  for (const name of ['api-1', 'api-2', 'worker-1', 'worker-2'])
    if (!found[name]) throw new Error(`${name} is not RUNNING:\n${status}`);
  return found as Pids['programs'];
}
