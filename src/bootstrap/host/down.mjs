// @ts-check
// `npm run host:down`: Nginx, then Supervisor and its programs, then whatever process of the host is
// left; PostgreSQL and Redis keep running, as after npm start.
import { stopJaeger } from './jaeger.mjs';
import { hostPaths } from './layout.mjs';
import { stopNginx } from './nginx.mjs';
import { markedProcesses, signal, waitUntil } from './processes.mjs';
import { say } from './prerequisites.mjs';
import { clearState } from './state.mjs';
import { envFileEntries, stopSupervisor } from './supervisor.mjs';

/**
 * Stops the host; throws when one of its processes outlives SIGKILL.
 * @param {{ quiet?: boolean }} [options] quiet: no progress lines (a failed up cleaning after itself)
 */
export async function down({ quiet = false } = {}) {
  const paths = hostPaths();
  const log = quiet ? () => {} : say;
  // supervisorctl expands %(ENV_…)s of supervisord.conf: give it the same variables.
  const env = { ...process.env, ...Object.fromEntries(envFileEntries(paths)) };

  await stopNginx(paths, env, log);
  await stopSupervisor(paths, env, log);
  // After the apps: they export their last spans on the way out.
  await stopJaeger(paths, log);

  let left = markedProcesses(paths.dir);
  if (left.length) {
    log(`stopping leftovers: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
    for (const p of left) signal(p.pid, 'SIGTERM');
    await waitUntil(() => markedProcesses(paths.dir).length === 0, 10_000);
    for (const p of markedProcesses(paths.dir)) signal(p.pid, 'SIGKILL');
    await waitUntil(() => markedProcesses(paths.dir).length === 0, 5_000);
    left = markedProcesses(paths.dir);
  }
  if (left.length)
    throw new Error(
      `processes of this host are still running: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`,
    );
  clearState(paths);
  log(
    'host is down: no nginx, supervisord or app process of it is left (PostgreSQL and Redis keep running, as after npm start)',
  );
}
