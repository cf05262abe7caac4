import { ConfigError, loadConfig } from '#config';
import { startTracing } from '#tracing';

// Tracing starts before any module of the worker loads (apps/api/main.ts says why).
try {
  const config = loadConfig();
  startTracing('worker', config);
  const { serveWorker } = await import('./server.js');
  await serveWorker(config);
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}
