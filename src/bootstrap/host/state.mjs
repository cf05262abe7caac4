// @ts-check
// state.json: what a running host was started against. host:up refuses to start a second host over
// it; the ops tests and bench:load read it to tell their own host from someone's demo.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { alive, readPid } from './processes.mjs';

/**
 * @typedef {object} HostState
 * @property {string} database the database URL, password hidden
 * @property {string} redis the Redis URL, password hidden
 * @property {string} startedAt ISO time
 */

/**
 * A URL with its password replaced by ***.
 * @param {string} url
 */
export function redactUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * The state of the host in `paths`, or null when none was started (or it is down).
 * @param {import('./layout.mjs').HostPaths} paths
 * @returns {Partial<HostState> | null}
 */
export function readState(paths) {
  try {
    return JSON.parse(readFileSync(paths.stateFile, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {{ databaseUrl: string, redisUrl: string }} config
 */
export function writeState(paths, config) {
  /** @type {HostState} */
  const state = {
    database: redactUrl(config.databaseUrl),
    redis: redactUrl(config.redisUrl),
    startedAt: new Date().toISOString(),
  };
  writeFileSync(paths.stateFile, JSON.stringify(state, null, 2));
}

/** @param {import('./layout.mjs').HostPaths} paths */
export const clearState = (paths) => rmSync(paths.stateFile, { force: true });

/**
 * Whether supervisord or the nginx master of this host is running.
 * @param {import('./layout.mjs').HostPaths} paths
 */
export const running = (paths) =>
  alive(readPid(paths.supervisordPid)) || alive(readPid(paths.nginxPid));
