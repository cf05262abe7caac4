// @ts-check
// The programs the host needs besides Node, PostgreSQL and Redis: Nginx, Supervisor and OpenSSL,
// installed from Debian's packages when missing (`npm test` asks before it runs the ops suites);
// and what the fleet suite needs on top (namespaces, root), checked only.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} message */
export const say = (message) => process.stderr.write(`[host] ${message}\n`);

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A command's absolute path: PATH first, then the sbin folders a non-root PATH often lacks.
 * @param {string} cmd
 * @returns {string | null}
 */
export function which(cmd) {
  const dirs = [
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
  ];
  for (const d of dirs) {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return join(d, cmd);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Like which(), for a command host:up cannot do without (hostPrerequisites ran before).
 * @param {string} cmd
 */
export function required(cmd) {
  const path = which(cmd);
  if (!path) throw new Error(`${cmd} is not installed`);
  return path;
}

/** @type {Record<string, string>} command → the Debian package that brings it */
const PACKAGE_OF = {
  nginx: 'nginx',
  supervisord: 'supervisor',
  supervisorctl: 'supervisor',
  openssl: 'openssl',
};

/** @typedef {{ ok: true } | { ok: false, reason: string }} Prerequisites */

/**
 * Nginx, Supervisor and OpenSSL are present, or installed now from Debian's packages (root or
 * passwordless sudo). Debian's maintainer scripts would also start a system-wide nginx (on :80) and
 * supervisord; a policy-rc.d that says no keeps them from doing so (as in Docker images).
 * @returns {Prerequisites}
 */
export function hostPrerequisites() {
  const missing = Object.keys(PACKAGE_OF).filter((cmd) => !which(cmd));
  if (missing.length === 0) return { ok: true };
  const packages = [...new Set(missing.map((c) => PACKAGE_OF[c]))];
  const advice = `install ${packages.join(', ')} (Debian/Ubuntu: apt-get install ${packages.join(' ')})`;
  const sudo = isRoot()
    ? []
    : which('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0
      ? ['sudo', '-n']
      : null;
  if (!existsSync('/etc/debian_version') || !which('apt-get'))
    return {
      ok: false,
      reason: `${missing.join(', ')} missing and this is not a Debian system: ${advice}`,
    };
  if (!sudo)
    return {
      ok: false,
      reason: `${missing.join(', ')} missing and installing needs root or passwordless sudo: ${advice}`,
    };
  /**
   * @param {string[]} args
   * @param {import('node:child_process').SpawnSyncOptions} [opts]
   */
  const asRoot = (args, opts = {}) => {
    const [cmd, ...rest] = sudo.length ? [...sudo, ...args] : args;
    return spawnSync(/** @type {string} */ (cmd), rest, { stdio: 'inherit', ...opts }).status === 0;
  };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy)
    asRoot(['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`]);
  try {
    say(`installing ${packages.join(', ')} from Debian's packages (services not started)`);
    const install = () =>
      asRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages], { env });
    if (!install() && !(asRoot(['apt-get', 'update', '-q'], { env }) && install()))
      return { ok: false, reason: `apt-get install ${packages.join(' ')} failed` };
  } finally {
    if (ownPolicy) asRoot(['rm', '-f', policy]);
  }
  const still = Object.keys(PACKAGE_OF).filter((cmd) => !which(cmd));
  return still.length
    ? { ok: false, reason: `${still.join(', ')} still missing after apt-get install` }
    : { ok: true };
}

/**
 * What the fleet suite (test/fleet: hosts in network namespaces) needs besides the host's programs:
 * Linux, root, `ip` and `unshare`, a kernel and container that allow `ip netns add`, and the Redis
 * and PostgreSQL server binaries (its data host runs its own). Nothing is installed for it.
 * @returns {Prerequisites}
 */
export function fleetPrerequisites() {
  if (process.platform !== 'linux') return { ok: false, reason: 'network namespaces need Linux' };
  if (!isRoot())
    return { ok: false, reason: 'network namespaces need root (ip netns add): run it as root' };
  for (const [cmd, pkg] of [
    ['ip', 'iproute2'],
    ['unshare', 'util-linux'],
    ['redis-server', 'redis-server'],
  ])
    if (!which(cmd)) return { ok: false, reason: `${cmd} is missing (apt-get install ${pkg})` };
  const postgres = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').some((v) =>
        existsSync(`/usr/lib/postgresql/${v}/bin/postgres`),
      )
    : false;
  if (!postgres)
    return {
      ok: false,
      reason: 'PostgreSQL server binaries are missing (apt-get install postgresql)',
    };
  const probe = 'msfleet-probe';
  const added = spawnSync(required('ip'), ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0)
    return { ok: false, reason: `ip netns add is not allowed here: ${added.stderr.trim()}` };
  spawnSync(required('ip'), ['netns', 'del', probe]);
  return { ok: true };
}
