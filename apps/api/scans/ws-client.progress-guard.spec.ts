import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { ProgressFrame } from './ws-protocol.js';
import { clientOn, completed, FakeSocket } from './ws-client.fakes.js';

// Which progress frames WsClient lets through at all (monotonic, never twice); how it paces those
// to its reader: ws-client.spec.ts.

describe('WsClient', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
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
});
