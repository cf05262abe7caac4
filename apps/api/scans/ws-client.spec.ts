import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import fc from 'fast-check';
import { WsSubscriptions } from './ws.subscriptions.js';
import {
  clientOn,
  completed,
  fallBehind,
  FakeSocket,
  HARD_LIMIT_BYTES,
  HIGH_WATER_BYTES,
  progress,
  RETRY_FLUSH_MS,
} from './ws-client.fakes.js';

// How WsClient paces frames to its reader; which progress it lets through at all:
// ws-client.progress-guard.spec.ts.

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
