// `npm start`: from a fresh clone to a running api + worker with a development key printed.
import { spawn } from 'node:child_process';
import {
  appConfig,
  build,
  ensureDependencies,
  prepareDatabase,
  reuseOrCreateKey,
  say,
} from './prepare.mjs';
import { runOnPinnedNode } from './node-runtime.mjs';

const KEY_FILE = '.local/dev-api-key';

async function main() {
  await runOnPinnedNode();
  ensureDependencies();
  build({ infra: false }); // npm start runs the apps only
  const config = await appConfig();
  await prepareDatabase(config, process.env);
  const key = await reuseOrCreateKey({
    file: KEY_FILE,
    name: 'development',
    databaseUrl: config.databaseUrl,
  });
  const base = `http://${config.api.host}:${config.api.port}`;
  process.stdout.write(
    [
      '',
      `Market Scanner is starting on Node ${process.versions.node}:`,
      `  API            ${base}/v1/items`,
      `  Swagger UI     ${base}/docs`,
      `  health         ${base}/health/ready`,
      `  metrics        ${base}/metrics  (worker: http://${config.api.host}:${config.worker.port}/metrics)`,
      `  API key        ${key}`,
      `  try            curl -H 'X-API-Key: ${key}' '${base}/v1/items?sector=technology&limit=5'`,
      'Ctrl-C stops both apps.',
      '',
    ].join('\n') + '\n',
  );

  // The young-generation cap supervisord.conf and the image run the apps with (docs/decisions.md).
  const children = ['api', 'worker'].map((app) =>
    spawn(process.execPath, ['--max-semi-space-size=16', `dist/apps/${app}/main.js`], {
      stdio: 'inherit',
    }),
  );
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGTERM'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let exitCode = 0;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) =>
          child.on('exit', (code) => {
            if (!stopping) {
              exitCode = code ?? 1;
              say(`an app exited (code ${code}); stopping the other`);
              stop('SIGTERM');
            }
            resolve();
          }),
        ),
    ),
  );
  process.exit(exitCode);
}

main().catch((error) => {
  process.stderr.write(`\nnpm start failed: ${error.message}\n`);
  process.exit(1);
});
