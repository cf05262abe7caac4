import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { WsClient } from './ws-client.js';
import type { TerminalFrame } from './ws-protocol.js';
import { MAX_PENDING_PER_SCAN, WsSubscriptions } from './ws.subscriptions.js';

/** A socket that records what it is sent and keeps up with everything. */
function fakeClient() {
  const sent: Record<string, unknown>[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    on: () => socket,
    send: (data: string) => void sent.push(JSON.parse(data) as Record<string, unknown>),
  };
  const principal = { keyId: 'k', name: 'e2e', scopes: ['scan' as const] };
  return { client: new WsClient(socket as unknown as WebSocket, principal, '127.0.0.1'), sent };
}
const completed = { type: 'completed', scan: { id: 'a' } } as unknown as TerminalFrame;

describe('WsSubscriptions', () => {
  it('answers every frame waiting for a scan with its own terminal frame, echoing its id', () => {
    const { client, sent } = fakeClient();
    const subscriptions = new WsSubscriptions();
    subscriptions.add(client, 'a', 'first');
    subscriptions.add(client, 'a', undefined);
    subscriptions.add(client, 'a', 'third');
    subscriptions.finish(client, 'a', completed);
    assert.deepEqual(
      sent.map((f) => [f['type'], f['id']]),
      [
        ['completed', 'first'],
        ['completed', undefined],
        ['completed', 'third'],
      ],
    );
    assert.deepEqual(Object.keys(sent[0]!), ['type', 'id', 'scan'], 'the id right after the type');
    assert.deepEqual(subscriptions.subscribersOf('a'), [], 'the subscription ended');
  });

  it('answers one frame on its own and leaves the others waiting', () => {
    const { client, sent } = fakeClient();
    const subscriptions = new WsSubscriptions();
    const first = subscriptions.add(client, 'a', 'first')!;
    const second = subscriptions.add(client, 'a', 'second')!;
    subscriptions.answer(client, 'a', first, completed);
    subscriptions.answer(client, 'a', first, completed);
    assert.deepEqual(
      sent.map((f) => f['id']),
      ['first'],
      'once',
    );
    assert.equal(subscriptions.isPending(client, 'a', second), true);
    assert.deepEqual(subscriptions.subscribersOf('a'), [client]);
    subscriptions.drop(client, 'a', second);
    assert.deepEqual(subscriptions.subscribersOf('a'), [], 'the last one ends the subscription');
  });

  it(`holds at most ${MAX_PENDING_PER_SCAN} waiting frames per connection and scan`, () => {
    const { client } = fakeClient();
    const subscriptions = new WsSubscriptions();
    for (let i = 0; i < MAX_PENDING_PER_SCAN; i++)
      assert.ok(subscriptions.add(client, 'a', String(i)));
    assert.equal(subscriptions.add(client, 'a', 'one more'), null);
    assert.ok(subscriptions.add(client, 'b', 'another scan'));
  });

  it('answers nothing after an unsubscribe', () => {
    const { client, sent } = fakeClient();
    const subscriptions = new WsSubscriptions();
    const answer = subscriptions.add(client, 'a', 'x')!;
    subscriptions.remove(client, 'a');
    subscriptions.answer(client, 'a', answer, completed);
    subscriptions.finish(client, 'a', completed);
    assert.deepEqual(sent, []);
  });
});
