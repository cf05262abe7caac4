// @ts-check
// `npm run host:up`: the production topology on this machine — Supervisor with the top-level
// supervisord.conf (2 api + 2 worker processes), Nginx with the site template of deploy/nginx and a
// self-signed certificate on 8080/8443, local PostgreSQL and Redis.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  appConfig,
  build,
  ensureDependencies,
  prepareDatabase,
  reuseOrCreateKey,
} from '../prepare.mjs';
import { busyPorts } from './control.mjs';
import { down } from './down.mjs';
import { JAEGER, jaegerBinary, startJaeger } from './jaeger.mjs';
import { API_PROCS, hostPaths, HTTP_PORT, HTTPS_PORT, ROOT, WORKER_PROCS } from './layout.mjs';
import { renderNginx, startNginx } from './nginx.mjs';
import { waitUntil } from './processes.mjs';
import { hostPrerequisites, say } from './prerequisites.mjs';
import { readState, redactUrl, running, writeState } from './state.mjs';
import { hostEnvironment, startSupervisor, writeEnvFile } from './supervisor.mjs';
import { ensureCertificate, httpsRequest } from './tls.mjs';

/**
 * Waits for /health/ready through Nginx; the last answer, for the error message.
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {number} ms
 */
async function readyThroughNginx(paths, ms) {
  const ca = readFileSync(paths.ca);
  let last = 'no answer';
  const ready = await waitUntil(async () => {
    const res = await httpsRequest('/health/ready', { ca, timeoutMs: 5000 }).catch((e) => ({
      status: 0,
      body: e.message,
    }));
    last = `${res.status} ${res.body}`;
    return res.status === 200;
  }, ms);
  return { ready, last };
}

/**
 * @param {import('./layout.mjs').HostPaths} paths
 * @param {string} key
 * @param {string} traces where the traces go, or why there are none
 */
function printSummary(paths, key, traces) {
  const ca = paths.ca.replace(`${ROOT}/`, '');
  process.stdout.write(
    [
      '',
      'Market Scanner runs in its production layout (Supervisor + Nginx):',
      `  HTTPS       ${paths.httpsUrl}/v1/items        (HTTP ${paths.httpUrl} answers 301)`,
      `  WebSocket   wss://localhost:${HTTPS_PORT}/v1/ws`,
      `  CA          ${ca}   (curl --cacert, NODE_EXTRA_CA_CERTS, --ca of the ws client)`,
      `  API key     ${key}   (in ${paths.keyFile.replace(`${ROOT}/`, '')})`,
      `  processes   api-1..${API_PROCS} on 127.0.0.1:${paths.apiPorts.join(',')}; worker-1..${WORKER_PROCS} (health/metrics) on 127.0.0.1:${paths.workerPorts.join(',')}`,
      `  try         curl --cacert ${ca} ${paths.httpsUrl}/health/ready`,
      `              curl --cacert ${ca} -H 'X-API-Key: ${key}' '${paths.httpsUrl}/v1/items?sector=technology&limit=5'`,
      `              node dist/examples/ws-client.js --url wss://localhost:${HTTPS_PORT}/v1/ws --ca ${ca} --key ${key}`,
      `  operate     ENV_FILE=.local/host/env deploy/ctl.sh status     (runbook: docs/operations.md)`,
      `  logs        .local/host/logs/ (Supervisor), .local/host/nginx/logs/ (Nginx)`,
      `  traces      ${traces}`,
      '  stop        npm run host:down',
      '',
    ].join('\n') + '\n',
  );
}

/**
 * Starts the host, or checks that the one already up (against the same database and Redis) answers.
 * Everything it makes lives in .local/host/ (see layout.mjs); on failure it stops what it started.
 */
export async function up() {
  process.chdir(ROOT);
  ensureDependencies();
  build();
  const pre = hostPrerequisites();
  if (!pre.ok) throw new Error(pre.reason);
  const config = await appConfig();
  const paths = hostPaths();
  const { env, own } = hostEnvironment(paths, config);
  // Traces to a Jaeger of ours when its binary is installed, unless the environment names a collector.
  const jaeger = env.OTEL_EXPORTER_OTLP_ENDPOINT ? null : jaegerBinary();
  if (jaeger) env.OTEL_EXPORTER_OTLP_ENDPOINT = own.OTEL_EXPORTER_OTLP_ENDPOINT = JAEGER.otlpHttp;

  if (running(paths)) {
    const state = readState(paths);
    if (
      state?.database !== redactUrl(config.databaseUrl) ||
      state?.redis !== redactUrl(config.redisUrl)
    ) {
      throw new Error(
        `the host is already up against ${state?.database ?? 'another database'}; run npm run host:down first`,
      );
    }
    say('already up; checking it answers');
    if (!(await readyThroughNginx(paths, 30_000)).ready)
      throw new Error(
        `already up but ${paths.httpsUrl}/health/ready does not answer 200; run npm run host:down, then up again`,
      );
    printSummary(paths, readFileSync(paths.keyFile, 'utf8').trim(), tracesLine(own));
    return;
  }

  const busy = await busyPorts(paths);
  if (busy.length)
    throw new Error(
      `port(s) ${busy.join(', ')} already in use on 127.0.0.1: stop what listens there (another checkout's host:up?)`,
    );

  await prepareDatabase(config, env);
  for (const d of [paths.dir, paths.logs, paths.run, paths.state, paths.releases])
    mkdirSync(d, { recursive: true });
  // Reused while valid for this database, like npm start's key.
  const key = await reuseOrCreateKey({
    file: paths.keyFile,
    name: 'host',
    databaseUrl: config.databaseUrl,
    env,
  });
  ensureCertificate(paths);
  renderNginx(paths);
  // Supervisor runs `current`: this checkout, unless deploy/deploy.sh switched it to a release.
  rmSync(`${paths.current}.tmp`, { force: true });
  symlinkSync(ROOT, `${paths.current}.tmp`);
  renameSync(`${paths.current}.tmp`, paths.current);
  // A scale override of an earlier run (deploy/ctl.sh scale) does not outlive it.
  for (const f of readdirSync(paths.state))
    if (f.startsWith('supervisor-')) rmSync(join(paths.state, f));
  writeEnvFile(paths, own);
  writeState(paths, config);

  try {
    if (jaeger) {
      say(`starting jaeger (${jaeger}): traces on ${JAEGER.ui}`);
      await startJaeger(paths, env, jaeger);
    }
    say(`starting supervisord (${API_PROCS} api + ${WORKER_PROCS} worker processes)`);
    await startSupervisor(paths, env);
    say(`starting nginx on :${HTTP_PORT} and :${HTTPS_PORT}`);
    startNginx(paths, env);
    const { ready, last } = await readyThroughNginx(paths, 60_000);
    if (!ready)
      throw new Error(
        `${paths.httpsUrl}/health/ready did not answer 200 through nginx within 60 s (last: ${last})`,
      );
  } catch (error) {
    say('start-up failed: stopping what was started');
    await down({ quiet: true });
    throw error;
  }
  printSummary(paths, key, tracesLine(own));
}

/**
 * The summary's line about traces.
 * @param {Record<string, string>} own
 */
function tracesLine(own) {
  if (own.OTEL_EXPORTER_OTLP_ENDPOINT === JAEGER.otlpHttp) return `Jaeger ${JAEGER.ui}`;
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_TRACES_EXPORTER)
    return 'to the collector the environment names (OTEL_*)';
  return 'off: no jaeger binary (JAEGER_BIN or on PATH; docs/operations.md says how to install it)';
}
