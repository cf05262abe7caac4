// @ts-check
// Processes as Linux shows them in /proc, and the small waits around them: shared by host:up/down,
// the ops and fault tests (is it gone? which group?) and bench:load (CPU and memory per process).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { clearTimeout } from 'node:timers';
import { hostPaths, MARKER } from './layout.mjs';

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` every 100 ms until it holds or `ms` pass; the last word is one more check.
 * @param {() => boolean | Promise<boolean>} check
 * @param {number} ms
 */
export async function waitUntil(check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * Whether a process exists; one we may not signal (EPERM) exists too.
 * @param {number | null | undefined} pid
 */
export function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * The pid in a pid file, or null when there is none.
 * @param {string} file
 */
export function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

/**
 * Sends a signal to a process that may already be gone.
 * @param {number} pid
 * @param {NodeJS.Signals} name
 */
export function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** USER_HZ on Linux: /proc counts CPU time in ticks of 1/100 s. */
export const TICKS_PER_SECOND = 100;

/**
 * @typedef {object} ProcStat
 * @property {string} comm the command name (at most 15 characters)
 * @property {string} state R, S, D, Z, …
 * @property {number} ppid
 * @property {number} pgrp the process group
 * @property {number} cpuTicks user + system CPU time so far, in ticks (TICKS_PER_SECOND)
 */

/**
 * /proc/PID/stat, or null once the process is gone (or off Linux). Fields are counted after the
 * parenthesised command name, which may itself hold spaces and parentheses.
 * @param {number | string} pid
 * @returns {ProcStat | null}
 */
export function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(') ');
    // state, ppid, pgrp, …; utime and stime are the 12th and 13th fields after the name.
    const f = text.slice(close + 2).split(' ');
    return {
      comm: text.slice(text.indexOf('(') + 1, close),
      state: f[0] ?? '',
      ppid: Number(f[1]),
      pgrp: Number(f[2]),
      cpuTicks: Number(f[11]) + Number(f[12]),
    };
  } catch {
    return null;
  }
}

/**
 * The command line of a process, arguments joined by spaces ('' for kernel threads, zombies or gone).
 * @param {number | string} pid
 */
export function procCommand(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * A field of /proc/PID/status in bytes (VmRSS, VmHWM), or NaN when absent or the process is gone.
 * @param {number | string} pid
 * @param {'VmRSS' | 'VmHWM'} field
 */
export function procMemory(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
}

/** Pids of every process visible in /proc (empty off Linux). */
export function allPids() {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Processes (other than this one) of the host in `dir`: those whose environment carries host:up's
 * marker (supervisord and its programs), the nginx master naming the folder on its command line (it
 * overwrites its environment area with its process title), and the children of either (nginx workers).
 * @param {string} [dir]
 * @returns {{ pid: number, cmd: string }[]}
 */
export function markedProcesses(dir = hostPaths().dir) {
  const needle = `${MARKER}=${dir}`;
  /** @type {{ pid: number, ppid: number, cmd: string, marked: boolean }[]} */
  const all = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    const cmd = procCommand(pid);
    const stat = procStat(pid);
    if (!cmd || !stat) continue; // a kernel thread, a zombie, or gone
    let marked = cmd.startsWith('nginx: master process') && cmd.includes(`${dir}/`);
    try {
      if (!marked)
        marked = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      continue; // gone, or not ours to read
    }
    all.push({ pid, ppid: stat.ppid, cmd, marked });
  }
  const ours = new Set(all.filter((p) => p.marked).map((p) => p.pid));
  return all
    .filter((p) => ours.has(p.pid) || ours.has(p.ppid))
    .map(({ pid, cmd }) => ({ pid, cmd }));
}

/**
 * @typedef {object} Captured
 * @property {number | null} code the exit code (null when killed)
 * @property {string} out stdout and stderr, interleaved as they came
 */

/**
 * Runs a command to completion (killed after `timeoutMs`), capturing stdout and stderr together.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [options] `env` goes on top of ours
 * @returns {Promise<Captured>}
 */
export function capture(cmd, args, { env = {}, cwd, timeoutMs = 120_000 } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    /** @param {Buffer} d */
    const keep = (d) => (out += d.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}
