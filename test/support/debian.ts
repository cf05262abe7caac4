import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether `cmd` is on PATH. */
export const onPath = (cmd: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Installs Debian packages for a test that needs a tool (Chromium, stress-ng), as root or with
 * passwordless sudo — the same rule as hostPrerequisites() in src/bootstrap/host.mjs. Returns null
 * once installed, else why it could not (the caller skips the test and prints the reason).
 */
export function aptInstall(
  packages: string[],
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): string | null {
  const advice = `apt-get install --no-install-recommends ${packages.join(' ')}`;
  if (!existsSync('/etc/debian_version') || !onPath('apt-get'))
    return `this is not a Debian system: ${advice}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot
    ? []
    : onPath('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0
      ? ['sudo', '-n']
      : null;
  if (!sudo) return `installing needs root or passwordless sudo: ${advice}`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = (args: string[]): boolean => {
    const [cmd, ...rest] = [...sudo, ...args];
    // apt's progress goes to our stderr: seen in the test output, never mistaken for a result.
    return spawnSync(cmd!, rest, { env, stdio: ['ignore', 2, 2] }).status === 0;
  };
  log(`installing Debian's ${packages.join(', ')}`);
  const install = () =>
    asRoot(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages]);
  // A fresh machine may have empty package lists: update once, then try again.
  return install() || (asRoot(['apt-get', 'update', '-q']) && install())
    ? null
    : `apt-get install ${packages.join(' ')} failed`;
}

/** `cmd` is on PATH, or installed now from Debian's package `pkg`; null when available, else why not. */
export function ensureCommand(cmd: string, pkg: string): string | null {
  if (onPath(cmd)) return null;
  const failed = aptInstall([pkg]);
  if (failed) return `${cmd} is missing; ${failed}`;
  return onPath(cmd) ? null : `apt-get install ${pkg} succeeded but ${cmd} is still missing`;
}
