// `npm test`: the same provisioning as `npm start`, then unit and end-to-end suites against a
// dedicated test database and Redis db index, ending with one "N passed, N failed" line.
import { appConfig, build, cli, ensureDependencies, prepareDatabase, say } from './prepare.mjs';
import { runSuites } from './run-tests.mjs';

function testEnvironment(config) {
  const db = new URL(process.env.TEST_DATABASE_URL ?? config.databaseUrl);
  if (!process.env.TEST_DATABASE_URL && !db.pathname.endsWith('_test')) db.pathname = `${db.pathname}_test`;
  const redis = new URL(process.env.TEST_REDIS_URL ?? config.redisUrl);
  if (!process.env.TEST_REDIS_URL) redis.pathname = '/15';
  return { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.toString(), REDIS_URL: redis.toString(), LOG_LEVEL: 'warn' };
}

async function main() {
  ensureDependencies();
  build();
  const env = testEnvironment(await appConfig());
  const config = await appConfig(env);
  if (!new URL(config.databaseUrl).pathname.endsWith('_test')) throw new Error('refusing to test against a non-test database');
  say(`test database ${new URL(config.databaseUrl).pathname.slice(1)}, Redis ${config.redisUrl}`);
  await prepareDatabase(config, env);
  cli(['db', 'check'], env);
  const { passed, failed, skipped } = await runSuites(['unit', 'e2e'], env);
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(`\nnpm test failed before the suites finished: ${error.message}\n0 passed, 1 failed\n`);
  process.exit(1);
});
