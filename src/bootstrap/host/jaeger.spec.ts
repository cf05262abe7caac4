import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JAEGER, jaegerBinary, startJaeger, stopJaeger } from './jaeger.mjs';
import { hostPaths } from './layout.mjs';
import { alive, readPid } from './processes.mjs';

/** Whether nothing listens on Jaeger's UI port here (the stub below needs it). */
const uiPortFree = () =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(Number(new URL(JAEGER.ui).port), '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('host:up Jaeger', () => {
  it('runs JAEGER_BIN before a jaeger on PATH', () => {
    assert.equal(jaegerBinary({ JAEGER_BIN: '/opt/jaeger/jaeger' }), '/opt/jaeger/jaeger');
  });

  it('starts the binary with OTLP on loopback, waits for its UI, and stops it', async (t) => {
    if (!(await uiPortFree())) return t.skip(`${JAEGER.ui} is taken on this machine`);
    const dir = mkdtempSync(join(tmpdir(), 'host-jaeger-'));
    const paths = hostPaths(dir);
    mkdirSync(paths.logs, { recursive: true });
    mkdirSync(paths.run, { recursive: true });
    // A stand-in for the jaeger binary: records its arguments, answers on the UI port.
    const stub = join(dir, 'jaeger');
    writeFileSync(
      stub,
      `#!${process.execPath}\n` +
        `require('fs').writeFileSync(${JSON.stringify(join(dir, 'args'))}, JSON.stringify(process.argv.slice(2)));\n` +
        `require('http').createServer((q, s) => s.end('ui')).listen(${new URL(JAEGER.ui).port}, '127.0.0.1');\n`,
    );
    chmodSync(stub, 0o755);
    try {
      await startJaeger(paths, process.env, stub);
      const pid = readPid(join(paths.run, 'jaeger.pid'));
      assert.ok(alive(pid));
      const args = JSON.parse(readFileSync(join(dir, 'args'), 'utf8')) as string[];
      assert.ok(args.includes('--set=receivers.otlp.protocols.http.endpoint=127.0.0.1:4318'));
      await stopJaeger(paths, () => {});
      assert.equal(alive(pid), false);
    } finally {
      const pid = readPid(join(paths.run, 'jaeger.pid'));
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
