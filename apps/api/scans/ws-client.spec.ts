import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { WsClient } from './ws-client.js';
import { WsSubscriptions } from './ws.subscriptions.js';
import type { ProgressFrame, TerminalFrame } from './ws-protocol.js';

/** The thresholds of ws-client.ts, restated: the behaviour under test is defined by them. */
const HIGH_WATER_BYTES = 256 * 1024;
const HARD_LIMIT_BYTES = 8 * 1024 * 1024;
const RETRY_FLUSH_MS = 100;

/**
 * A hand-made socket with the few members WsClient uses. Sent bytes stay in `bufferedAmount` until
 * the reader reads them, as they stay in ws's buffer until the kernel takes them: a reader that
 * never calls read() is a stopped reader, one that reads after every frame keeps up.
 */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Record<string, unknown>[] = [];
  pings = 0;
  terminated = false;

  constructor(private readonly readsEverything = false) {
    super();
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
    this.bufferedAmount += Buffer.byteLength(data);
    if (this.readsEverything) this.read();
  }

  /** The reader takes `bytes` (everything by default) off the buffer. */
  read(bytes = this.bufferedAmount): void {
    this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
  }

  ping(): void {
    this.pings++;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  typesSent(): string[] {
    return this.sent.map(
      (f) => `${f['type']} ${f['scanId']}${f['percent'] === undefined ? '' : ` ${f['percent']}`}`,
    );
  }
}

const principal = { keyId: 'key-1', name: 'e2e', scopes: ['scan' as const] };
const clientOn = (socket: FakeSocket) =>
  new WsClient(socket as unknown as WebSocket, principal, '127.0.0.1');
// Frames with only the fields WsClient reads; a string of the wanted size stands in for the partial
// ranking, so a test controls how many bytes a frame puts on the socket.
const progress = (scanId: string, percent: number, padding = 0) =>
  ({ type: 'progress', scanId, percent, partial: 'x'.repeat(padding) }) as unknown as ProgressFrame;
const completed = (scanId: string) => ({ type: 'completed', scanId }) as unknown as TerminalFrame;

/** Puts the socket just over the high-water mark, as a reader that fell behind leaves it. */
const fallBehind = (socket: FakeSocket, bytes = HIGH_WATER_BYTES + 1) =>
  (socket.bufferedAmount = bytes);

describe('WsClient', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });

  describe('progress frames', () => {
    it('sends every progress frame at once, in order, to a reader that keeps up', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      for (const percent of [5, 25, 60]) client.progress('a', progress('a', percent));
      assert.deepEqual(socket.typesSent(), ['progress a 5', 'progress a 25', 'progress a 60']);
    });

    it('keeps only the newest progress frame of a scan while the reader is behind, and sends it once the reader catches up', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket);
      for (let percent = 1; percent <= 100; percent++) client.progress('a', progress('a', percent));
      mock.timers.tick(RETRY_FLUSH_MS);
      assert.deepEqual(socket.sent, [], 'nothing is queued behind a full buffer');

      socket.read();
      mock.timers.tick(RETRY_FLUSH_MS);
      assert.deepEqual(socket.typesSent(), ['progress a 100']);
    });

    it('keeps one waiting frame per scan, so each followed scan gets its newest', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket);
      for (let percent = 1; percent <= 50; percent++) {
        client.progress('a', progress('a', percent));
        client.progress('b', progress('b', percent * 2));
      }
      socket.read();
      mock.timers.tick(RETRY_FLUSH_MS);
      assert.deepEqual(socket.typesSent(), ['progress a 50', 'progress b 100']);
    });

    it('never buffers without bound: a stopped reader is handed at most the high-water mark and one frame per scan', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      const frameBytes = 4096;
      for (let i = 0; i < 10_000; i++) {
        client.progress('a', progress('a', Math.floor(i / 100), frameBytes));
        mock.timers.tick(RETRY_FLUSH_MS);
      }
      const oneFrame = Buffer.byteLength(JSON.stringify(progress('a', 100, frameBytes)));
      assert.ok(
        socket.bufferedAmount <= HIGH_WATER_BYTES + oneFrame,
        `${socket.bufferedAmount} bytes buffered`,
      );
      assert.ok(
        socket.sent.length <= Math.ceil(HIGH_WATER_BYTES / frameBytes) + 1,
        `${socket.sent.length} frames sent`,
      );
      assert.equal(socket.terminated, false, 'held back, not dropped');
    });

    it('waits with a single retry timer however many frames arrive while the reader is behind', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      const timers = mock.method(globalThis, 'setTimeout');
      fallBehind(socket);
      for (let percent = 1; percent <= 20; percent++) client.progress('a', progress('a', percent));
      assert.equal(timers.mock.callCount(), 1);
      socket.read();
      mock.timers.tick(RETRY_FLUSH_MS);
      assert.deepEqual(socket.typesSent(), ['progress a 20'], 'one flush, one frame');
    });

    it('sends the frames of one scan in the order they came, whatever the pace of the reader', () => {
      // Each step: a progress event (rising percent), the reader reading some bytes, or time passing.
      const step = fc.oneof(
        fc.constant({ kind: 'progress' as const }),
        fc
          .integer({ min: 0, max: 2 * HIGH_WATER_BYTES })
          .map((bytes) => ({ kind: 'read' as const, bytes })),
        fc.constant({ kind: 'tick' as const }),
      );
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
          mock.timers.reset();
          mock.timers.enable({ apis: ['setTimeout'] });
          const socket = new FakeSocket();
          const client = clientOn(socket);
          let percent = 0;
          for (const s of steps) {
            if (s.kind === 'progress') client.progress('a', progress('a', ++percent, 64 * 1024));
            else if (s.kind === 'read') socket.read(s.bytes);
            else mock.timers.tick(RETRY_FLUSH_MS);
          }
          socket.read();
          mock.timers.tick(RETRY_FLUSH_MS);
          const sent = socket.sent.map((f) => f['percent'] as number);
          assert.deepEqual(
            sent,
            [...sent].sort((x, y) => x - y),
            'rising',
          );
          assert.equal(new Set(sent).size, sent.length, 'no frame twice');
          assert.equal(
            sent.at(-1) ?? 0,
            percent,
            'the newest arrives once the reader has caught up',
          );
          client.close();
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  });

  describe('terminal frames', () => {
    it('sends a terminal frame at once even while progress waits, and drops that scan’s waiting progress', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket);
      client.progress('a', progress('a', 40));
      client.progress('b', progress('b', 10));
      client.terminal('a', completed('a'));
      assert.deepEqual(socket.typesSent(), ['completed a']);

      socket.read();
      mock.timers.tick(RETRY_FLUSH_MS);
      assert.deepEqual(
        socket.typesSent(),
        ['completed a', 'progress b 10'],
        'no progress of a after its end',
      );
    });

    it('sends one terminal frame per subscription and ignores progress that arrives after it', () => {
      // Once per pending subscribe is WsSubscriptions' rule; dropping later progress is WsClient's.
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      const subscriptions = new WsSubscriptions();
      subscriptions.add(client, 'a', undefined);
      client.progress('a', progress('a', 50));
      subscriptions.finish(client, 'a', completed('a'));
      client.progress('a', progress('a', 99));
      subscriptions.finish(client, 'a', completed('a'));
      subscriptions.finish(client, 'a', { type: 'failed', scanId: 'a', error: 'late' });
      assert.deepEqual(socket.typesSent(), ['progress a 50', 'completed a']);
    });

    it('drops a reader more than the hard limit behind instead of queueing even its terminal frame', () => {
      // Such a client rebuilds its state with GET /v1/scans/{id} when it reconnects (DESIGN §1).
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket, HARD_LIMIT_BYTES + 1);
      client.terminal('a', completed('a'));
      assert.equal(socket.terminated, true);
      assert.deepEqual(socket.sent, []);
    });

    it('still sends a terminal frame to a reader behind the high-water mark but within the hard limit', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket, HARD_LIMIT_BYTES);
      client.terminal('a', completed('a'));
      assert.equal(socket.terminated, false);
      assert.deepEqual(socket.typesSent(), ['completed a']);
    });
  });

  describe('the progress guard', () => {
    const at = (stage: string, percent: number, symbolsScanned = 0) =>
      ({
        type: 'progress',
        scanId: 'a',
        stage,
        percent,
        symbolsScanned,
        partial: [],
      }) as unknown as ProgressFrame;
    const sentOf = (socket: FakeSocket) =>
      socket.sent
        .filter((f) => f['type'] === 'progress')
        .map((f) => `${f['stage']} ${f['percent']}`);

    it('drops a frame behind one already sent: a catch-up read older than relayed events', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      for (const frame of [at('loading', 0), at('finalizing', 95), at('fetching', 5)])
        client.progress('a', frame);
      assert.deepEqual(sentOf(socket), ['loading 0', 'finalizing 95']);
    });

    it('never sends the same frame twice, nor one that moves neither stage, percent nor symbols', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      for (const frame of [
        at('fetching', 5),
        at('fetching', 5),
        at('scanning', 40, 200),
        at('scanning', 40, 210),
      ])
        client.progress('a', frame);
      assert.deepEqual(sentOf(socket), ['fetching 5', 'scanning 40', 'scanning 40']);
    });

    it('holds a retried attempt back until it passes where the first one got to', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      for (const p of [30, 60, 0, 5, 30, 65])
        client.progress('a', at(p < 25 ? 'fetching' : 'scanning', p));
      assert.deepEqual(sentOf(socket), ['scanning 30', 'scanning 60', 'scanning 65']);
    });

    it('starts from the progress the accepted frame showed, which one progress frame may repeat', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      const scan = { id: 'a', progress: { stage: 'scanning', percent: 50, symbolsScanned: 250 } };
      client.accepted({ type: 'accepted', scan } as never);
      client.progress('a', at('fetching', 5));
      client.progress('a', at('scanning', 50, 250));
      client.progress('a', at('scanning', 50, 250));
      client.progress('a', at('scanning', 60, 300));
      assert.deepEqual(
        sentOf(socket),
        ['scanning 50', 'scanning 60'],
        'the position accepted showed once as a frame, then only news',
      );
      assert.equal(socket.sent[0]!['type'], 'accepted');
    });

    it('guards each scan on its own', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      client.progress('a', at('scanning', 60));
      client.progress('b', { ...at('fetching', 5), scanId: 'b' });
      assert.deepEqual(sentOf(socket), ['scanning 60', 'fetching 5']);
    });

    it('sends no progress of a scan after its terminal frame, however far it claims to be', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      client.terminal('a', completed('a'));
      client.progress('a', at('finalizing', 100, 500));
      assert.deepEqual(socket.typesSent(), ['completed a']);
    });
  });

  describe('closed connections', () => {
    it('sends nothing once the socket is no longer open', () => {
      const socket = new FakeSocket(true);
      const client = clientOn(socket);
      socket.readyState = 3;
      client.progress('a', progress('a', 10));
      client.terminal('a', completed('a'));
      client.send({ type: 'error', message: 'x' });
      assert.deepEqual(socket.sent, []);
    });

    it('forgets waiting frames and cancels the retry when closed', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      fallBehind(socket);
      client.progress('a', progress('a', 10));
      client.close();
      socket.read();
      mock.timers.tick(10 * RETRY_FLUSH_MS);
      assert.deepEqual(socket.sent, []);
    });
  });

  describe('heartbeat', () => {
    it('pings on every beat and keeps a client that answered with a pong', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      for (let beat = 1; beat <= 3; beat++) {
        client.heartbeat();
        socket.emit('pong');
      }
      assert.equal(socket.pings, 3);
      assert.equal(socket.terminated, false);
    });

    it('terminates a client that did not answer the previous ping', () => {
      const socket = new FakeSocket();
      const client = clientOn(socket);
      client.heartbeat();
      client.heartbeat();
      assert.equal(socket.pings, 1);
      assert.equal(socket.terminated, true);
    });
  });
});
