import { spawnSync } from 'node:child_process';

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * `cmd` is on PATH, or installed now from Debian's package `pkg` when this is Debian and we are root.
 * Returns null when available, else why not (the caller skips with that reason).
 */
export function ensureCommand(cmd: string, pkg: string): string | null {
  if (onPath(cmd)) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get')) return `${cmd} is not installed and this is not a root Debian shell: apt-get install ${pkg}`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', pkg], { env, stdio: 'ignore' }).status === 0;
  if (!install()) spawnSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
  return onPath(cmd) || install() ? null : `apt-get install ${pkg} failed`;
}
