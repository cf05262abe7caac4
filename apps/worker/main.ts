import { ConfigError, loadConfig } from '#config';
import { prefetchNewestSnapshot } from './scan/bar-snapshot.prefetch.js';

try {
  const config = loadConfig();
  // The newest bar snapshot is read and hashed on a thread of its own while the modules below load
  // (about a second): a new worker's first scan does not wait for it (bar-snapshot.prefetch.ts).
  if (config.worker.barSnapshotDir) prefetchNewestSnapshot(config.worker.barSnapshotDir);
  // Tracing starts before any module of the worker loads (apps/api/main.ts says why).
  const { startTracing } = await import('#tracing');
  startTracing('worker', config);
  const { serveWorker } = await import('./server.js');
  await serveWorker(config);
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}
