// Docker HEALTHCHECK for either app of the image: the command of PID 1 says which app the container
// runs; the api answers /health/live on API_PORT, the worker on WORKER_PORT. Liveness, not
// readiness: a database outage must not get healthy processes restarted.
import { readFileSync } from 'node:fs';

const command = readFileSync('/proc/1/cmdline', 'utf8');
const port = command.includes('apps/worker/')
  ? (process.env.WORKER_PORT ?? 3100)
  : (process.env.API_PORT ?? 3000);
setTimeout(() => process.exit(1), 4000).unref();
fetch(`http://127.0.0.1:${port}/health/live`).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
