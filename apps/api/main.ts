import { ConfigError, loadConfig } from '#config';
import { startTracing } from '#tracing';

// Tracing starts before any module of the app loads: its hooks patch node:http, pg and ioredis as
// they are imported. Static imports would all load before this line runs, so the app comes in
// through a dynamic import.
try {
  const config = loadConfig();
  startTracing('api', config);
  const { serveApi } = await import('./server.js');
  await serveApi(config);
} catch (error) {
  // The logger may not exist yet (bad configuration): stderr is the only reliable channel here.
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
}
