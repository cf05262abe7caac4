// @ts-check
// The lock that keeps the suites driving this machine's hosts from running at once (their fixed
// ports, their namespaces, and the CPU whose figures they report): /tmp/market-scanner-host.lock,
// taken with flock(1) as an operator does by hand (`flock /tmp/market-scanner-host.lock npm run
// test:faults`).
import { readFileSync, statSync } from 'node:fs';
import { procStat } from './host/processes.mjs';
import { which } from './host/prerequisites.mjs';

export const HOST_LOCK = '/tmp/market-scanner-host.lock';

/**
 * Pids holding an flock on `file`, from /proc/locks ("1: FLOCK ADVISORY WRITE 14194 fe:00:2146305 0
 * EOF"; waiters are listed with "->" and hold nothing).
 * @param {string} file
 * @returns {number[]}
 */
export function lockHolders(file) {
  let id = '';
  try {
    const { dev, ino } = statSync(file);
    const major = (dev >> 8) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const hex = (/** @type {number} */ n) => n.toString(16).padStart(2, '0');
    id = `${hex(major)}:${hex(minor)}:${ino}`;
    return readFileSync('/proc/locks', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[1] === 'FLOCK' && f[5] === id)
      .map((f) => Number(f[4]));
  } catch {
    return []; // no lock file yet, or not Linux
  }
}

/** This process and its ancestors. */
function lineage() {
  const pids = new Set([process.pid]);
  for (let pid = process.ppid; pid > 1 && !pids.has(pid); pid = procStat(pid)?.ppid ?? 0)
    pids.add(pid);
  return pids;
}

/**
 * The argv that runs `argv` under the host lock: unchanged when this process or an ancestor holds
 * it already (`flock /tmp/market-scanner-host.lock npm test`: taking it again would wait for
 * itself), else behind `flock -w 1800` (it waits at most 30 minutes for another run to finish).
 * @param {string[]} argv
 * @param {(message: string) => void} log
 * @returns {string[]}
 */
export function underHostLock(argv, log) {
  const flock = which('flock');
  if (!flock) {
    log(`flock is missing (util-linux): running without ${HOST_LOCK}`);
    return argv;
  }
  const held = lockHolders(HOST_LOCK);
  const mine = lineage();
  if (held.some((pid) => mine.has(pid))) return argv;
  if (held.length)
    log(
      `waiting for ${HOST_LOCK}: pid ${held.join(', ')} holds it (another ops, fault or fleet run)`,
    );
  return [flock, '-w', '1800', HOST_LOCK, ...argv];
}
