import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import WebSocket from 'ws';
import { CA_FILE, HTTPS_PORT } from '../ops/support/host.js';
import { rssMiB, sleep, type FaultStack } from './support/stack.js';

const CONNECTIONS = 32;
const SCANS = 64;
/**
 * Growth allowed per api process. Sending ~300 MiB of frames before the readers froze churns the heap
 * (+40..80 MiB measured); with coalescing switched off the same test grew each api by ~285 MiB.
 */
const FLAT_MIB = 128;

/** RELIABILITY "WebSocket behind Nginx": slow consumers must not grow server memory. */
export function websocketFaults(stack: FaultStack, figures: Map<string, string>): void {
  it(
    `keeps api memory flat while ${CONNECTIONS} WebSocket readers frozen with SIGSTOP follow ${SCANS} scans of 10,000 symbols`,
    { timeout: 240_000 },
    async (t) => {
      await stack.flushRateLimits(); // 32 connects in one window
      const apis = [...(await stack.pids('api')).values()];
      const baseline = apis.map(rssMiB);
      // What an uncoalesced server would owe the frozen readers: every progress event, once per socket.
      const events = await stack.queueEvents();
      let owedBytes = 0;
      let ids = new Set<string>();
      events.on('progress', ({ jobId, data }) => {
        if (ids.has(jobId)) owedBytes += CONNECTIONS * JSON.stringify(data).length;
      });

      // Paused, the queue holds the scans until every reader is subscribed and frozen: they run while
      // nobody reads, however fast this machine is.
      await stack.queue.pause();
      const reader = spawn(
        process.execPath,
        [
          'dist/test/faults/support/stopped-reader.js',
          `wss://localhost:${HTTPS_PORT}/v1/ws`,
          CA_FILE,
          stack.key,
          String(CONNECTIONS),
          String(SCANS),
          String(30_000 + (Date.now() % 100_000) * 10),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: reader.stdout! })[Symbol.asyncIterator]();
      try {
        ids = new Set(JSON.parse((await lines.next()).value as string).ids as string[]);
        reader.kill('SIGSTOP');
        await stack.queue.resume();
        let peak = baseline.slice();
        const sample = () => (peak = apis.map((pid, i) => Math.max(peak[i]!, rssMiB(pid))));
        const timer = setInterval(sample, 200);
        await stack.finished([...ids], 180_000).finally(() => clearInterval(timer));
        await sleep(2000);
        sample();
        reader.kill('SIGCONT');
        // Awake, the readers drain what the kernel and Nginx buffered, then report; SIGTERM if stuck.
        const stuck = setTimeout(() => reader.kill('SIGTERM'), 90_000);
        const got = JSON.parse((await lines.next()).value as string) as Record<string, number>;
        clearTimeout(stuck);

        const growth = peak.map((p, i) => p - baseline[i]!);
        const owedMiB = owedBytes / 2 ** 20;
        t.diagnostic(
          `readers owed ${owedMiB.toFixed(1)} MiB of progress; readers got ${got['progress']} progress + ${got['completed']} completed frames (${(got['bytes']! / 2 ** 20).toFixed(1)} MiB); ${got['socketsWithEveryTerminal']} sockets had every terminal frame, ${got['socketsClosedEarly']} were closed before; api RSS +${growth.map((g) => g.toFixed(1)).join(' / +')} MiB`,
        );
        assert.equal(got['errors'], 0, `error frames: ${JSON.stringify(got)}`);
        assert.ok(
          owedMiB >= 3 * FLAT_MIB,
          `the scenario must be heavy enough to show a leak: ${owedMiB.toFixed(1)} MiB`,
        );
        assert.ok(
          growth.every((g) => g < FLAT_MIB),
          `api RSS growth ${growth.map((g) => g.toFixed(1)).join(', ')} MiB while ${owedMiB.toFixed(0)} MiB were owed`,
        );
        // Coalesced, not lost: a socket that wakes gets every terminal frame (or — had it fallen more
        // than the hard limit behind — would have been closed, to rebuild from GET /v1/scans/{id}).
        assert.equal(
          got['socketsWithEveryTerminal']! + got['socketsClosedEarly']!,
          CONNECTIONS,
          JSON.stringify(got),
        );
        for (const id of ids)
          assert.equal(JSON.parse((await stack.call(`/v1/scans/${id}`)).body).status, 'completed');
        const line = `${owedMiB.toFixed(0)} MiB of progress owed to a SIGSTOPped reader; api RSS +${growth.map((g) => g.toFixed(1)).join(' / +')} MiB; once awake ${got['socketsWithEveryTerminal']} of ${CONNECTIONS} sockets had every terminal frame, ${got['socketsClosedEarly']} had been closed by the server`;
        figures.set('ws-stopped', line);
      } finally {
        await stack.queue.resume();
        reader.kill('SIGCONT');
        reader.kill('SIGKILL');
        await events.close();
      }
    },
  );
}

/**
 * RELIABILITY "Idle connections cut at 60 s": a WebSocket opened before the other faults and left
 * idle through them (they take minutes) must still be open ≥ 3 minutes later. Registers two tests:
 * the first opens it, `check()` registers the last, which waits out the rest of the 3 minutes.
 */
export function idleSocket(stack: FaultStack, figures: Map<string, string>): { check: () => void } {
  const IDLE_MS = 180_000;
  let socket: WebSocket | undefined;
  let openedAt = 0;
  let pings = 0;
  let closed: number | null = null;
  it('opens a WebSocket through Nginx that stays idle while the faults below run', async () => {
    socket = stack.socket();
    socket.on('ping', () => pings++);
    socket.on('close', (code) => (closed = code));
    await once(socket, 'open');
    openedAt = Date.now();
  });
  return {
    check: () =>
      it(
        'still has that idle WebSocket open after 3 minutes: the server pings every 25 s, the client answers',
        { timeout: IDLE_MS + 30_000 },
        async (t) => {
          assert.ok(socket, 'the idle socket was opened');
          await sleep(Math.max(0, openedAt + IDLE_MS - Date.now()));
          const idleMs = Date.now() - openedAt;
          assert.equal(closed, null, `closed with ${closed}`);
          assert.equal(socket.readyState, WebSocket.OPEN);
          assert.ok(pings >= Math.floor(IDLE_MS / 25_000) - 1, `${pings} pings`);
          // Still usable: a subscription to an unknown scan is answered.
          const reply = once(socket, 'message');
          socket.send(
            JSON.stringify({ type: 'subscribe', scanId: '00000000-0000-4000-8000-000000000000' }),
          );
          assert.equal(JSON.parse(String((await reply)[0]))['type'], 'error');
          socket.close();
          const line = `open after ${(idleMs / 1000).toFixed(0)} s idle through Nginx (proxy_read_timeout 1h on /v1/ws), ${pings} server pings answered`;
          t.diagnostic(line);
          figures.set('ws-idle', line);
        },
      ),
  };
}
