// `npm test`: the same provisioning as `npm start`, then unit and end-to-end suites against a
// dedicated test database and Redis db index, the dependency audit (deps), ending with one
// "N passed, N failed" line.
import { fleetPrerequisites, hostPrerequisites } from './host.mjs';
import { appConfig, build, cli, ensureDependencies, prepareDatabase, say } from './prepare.mjs';
import { runSuites } from './run-tests.mjs';
import { runOnPinnedNode } from './node-runtime.mjs';

function testEnvironment(config) {
  const db = new URL(process.env.TEST_DATABASE_URL ?? config.databaseUrl);
  if (!process.env.TEST_DATABASE_URL && !db.pathname.endsWith('_test'))
    db.pathname = `${db.pathname}_test`;
  const redis = new URL(process.env.TEST_REDIS_URL ?? config.redisUrl);
  if (!process.env.TEST_REDIS_URL) redis.pathname = '/15';
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: db.toString(),
    REDIS_URL: redis.toString(),
    LOG_LEVEL: 'warn',
  };
}

function selectedSuites(argv) {
  if (argv.includes('--ops-only')) return ['ops'];
  if (argv.includes('--faults-only')) return ['faults'];
  if (argv.includes('--fleet-only')) return ['fleet'];
  const list = argv.find((a) => a.startsWith('--only='));
  return list ? list.slice('--only='.length).split(',').filter(Boolean) : null;
}

/** Suites run against this machine's hosts, after unit and e2e, in this order. */
const HOSTED = ['ops', 'faults', 'fleet'];

const grepOption = (argv) => argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);

async function main() {
  await runOnPinnedNode();
  ensureDependencies();
  build();
  const env = testEnvironment(await appConfig());
  const config = await appConfig(env);
  if (!new URL(config.databaseUrl).pathname.endsWith('_test'))
    throw new Error('refusing to test against a non-test database');
  const redis = new URL(config.redisUrl);
  if (redis.password) redis.password = '***';
  say(`test database ${new URL(config.databaseUrl).pathname.slice(1)}, Redis ${redis}`);
  await prepareDatabase(config, env);
  cli(['db', 'check'], env);
  // `npm run test:ops` (--ops-only), `npm run test:faults` (--faults-only) and `npm run test:fleet`
  // (--fleet-only) run one suite alone;
  // `--only=unit,e2e` picks suites and `--grep=TEXT[,TEXT]` keeps the spec files whose path contains one of them.
  const only = selectedSuites(process.argv);
  const inProcess = only
    ? only.filter((s) => s === 'unit' || s === 'e2e' || s === 'deps')
    : ['unit', 'e2e', 'deps'];
  let { passed, failed, skipped } = await runSuites(inProcess, env, grepOption(process.argv));
  // The ops and fault suites drive the production topology (npm run host:up): they run where Nginx
  // and Supervisor are installed or installable from Debian's packages; elsewhere they are skipped.
  // The fleet suite runs that build as several hosts in network namespaces: root on Linux only.
  const hosted = only ? only.filter((s) => HOSTED.includes(s)) : HOSTED;
  let host = null;
  for (const suite of hosted) {
    host ??= hostPrerequisites();
    const pre = host.ok && suite === 'fleet' ? fleetPrerequisites() : host;
    if (!pre.ok) {
      process.stdout.write(`\n${suite} suite skipped: ${pre.reason}\n`);
      if (only) failed += 1;
      continue;
    }
    const r = await runSuites([suite], env, grepOption(process.argv));
    [passed, failed, skipped] = [passed + r.passed, failed + r.failed, skipped + r.skipped];
  }
  process.stdout.write(
    `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(
    `\nnpm test failed before the suites finished: ${error.message}\n0 passed, 1 failed\n`,
  );
  process.exit(1);
});
