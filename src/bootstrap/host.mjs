// @ts-check
// `npm run host:up` / `npm run host:down` (DESIGN §7): the production topology on this machine —
// Supervisor with the top-level supervisord.conf (2 api + 2 worker processes), Nginx with the site
// template of deploy/nginx and a self-signed certificate on 8080/8443, local PostgreSQL and Redis.
// For demos and for the ops tests (test/ops). Plain Node with no dependencies of its own, typed with
// JSDoc (checked by `npm run typecheck`), since it runs before anything is built.
//
// The parts, in host/: layout (paths and ports), prerequisites (Nginx, Supervisor, OpenSSL), tls,
// nginx, supervisor, state, processes (/proc), up, down, and control (for tests and benches).
//
// Everything it makes lives in .local/host/: tls/ (CA + server certificate, made once), nginx/
// (generated nginx.conf, pid, logs), logs/ (supervisord and program logs), run/ (socket, pid), env
// (the environment supervisord got, for deploy/ctl.sh and deploy/deploy.sh), api-key, current (the
// release Supervisor runs: a symlink to this checkout, which deploy/deploy.sh may switch).
import { fileURLToPath } from 'node:url';
import { down } from './host/down.mjs';
import { runOnPinnedNode } from './node-runtime.mjs';
import { up } from './host/up.mjs';

export { hostPaths } from './host/layout.mjs';
export { markedProcesses } from './host/processes.mjs';
export { fleetPrerequisites, hostPrerequisites, which } from './host/prerequisites.mjs';
export { down, up };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  const run = command === 'up' ? up : command === 'down' ? down : null;
  if (!run) {
    process.stderr.write('usage: node src/bootstrap/host.mjs up|down\n');
    process.exit(2);
  }
  // On a machine whose Node is older than .node-version's, re-run on the pinned one, so Supervisor's
  // NODE_BIN (this process's execPath) runs the apps on it too.
  runOnPinnedNode()
    .then(() => run())
    .then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`\nhost:${command} failed: ${error.message}\n`);
        process.exit(1);
      },
    );
}
