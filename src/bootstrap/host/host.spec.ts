import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hostPaths, hostPorts, ROOT } from './layout.mjs';
import { procStat } from './processes.mjs';
import { envFileEntries, parseStatus, writeEnvFile } from './supervisor.mjs';

describe('host layout', () => {
  it('finds the repository root from its compiled copy under dist/ as from the source', () => {
    assert.ok(existsSync(join(ROOT, 'package.json')));
    assert.ok(existsSync(join(ROOT, 'supervisord.conf')));
  });

  it('lists Nginx ports first, then the api and worker processes', () => {
    assert.deepEqual(hostPorts(), [8080, 8443, 3001, 3002, 3101, 3102]);
  });
});

describe('supervisorctl status', () => {
  it('reads each program with its state and pid', () => {
    const status = [
      'api:api-1                        RUNNING   pid 4711, uptime 0:01:02',
      'worker:worker-2                  STOPPED   Dec 06 08:00 PM',
      'stdout-listener                  FATAL     Exited too quickly',
    ].join('\n');
    assert.deepEqual(
      [...parseStatus(status)],
      [
        ['api:api-1', { state: 'RUNNING', pid: 4711 }],
        ['worker:worker-2', { state: 'STOPPED', pid: null }],
        ['stdout-listener', { state: 'FATAL', pid: null }],
      ],
    );
  });
});

describe('host env file', () => {
  it('gives back the values written, quotes and spaces included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-env-'));
    try {
      const paths = hostPaths(dir);
      const own = { DATABASE_URL: "postgres://u:it's@h/db", LOG_DIR: '/a folder/logs', EMPTY: '' };
      writeEnvFile(paths, own);
      assert.deepEqual(Object.fromEntries(envFileEntries(paths)), own);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('/proc', () => {
  it(
    "reads this process's parent and CPU ticks, and nothing for a pid that is not there",
    { skip: !existsSync('/proc/self/stat') },
    () => {
      const self = procStat(process.pid);
      assert.equal(self?.ppid, process.ppid);
      assert.ok((self?.cpuTicks ?? -1) >= 0);
      assert.equal(procStat(2 ** 22 + 1), null);
    },
  );
});
