import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import type { AlertView } from '#redis';
import type { Principal } from '../auth/api-key.service.js';
import { FakeSocket } from '../scans/ws-client.fakes.js';
import { WsClient } from '../scans/ws-client.js';
import { AlertSockets } from './alert-sockets.js';

const installation = (id: string): Principal => ({
  keyId: id,
  name: `installation ${id}`,
  scopes: ['read', 'scan'],
  installation: { appKeyId: 'app' },
});
const apiKey: Principal = { keyId: 'inst-a', name: 'a key with the same id', scopes: ['admin'] };
const connect = (principal: Principal) => {
  const socket = new FakeSocket(true);
  return { socket, client: new WsClient(socket as unknown as WebSocket, principal, '127.0.0.1') };
};
const alert = (id: string): AlertView => ({
  id,
  watchId: 'w',
  watchName: 'Tech longs',
  dataVersion: 7,
  kind: 'entered',
  symbol: 'NVDA',
  before: null,
  after: { symbol: 'NVDA', rank: 3, signal: 'Long', techRating: 66 },
  createdAt: '2026-12-07T12:00:00.000Z',
});

describe('AlertSockets', () => {
  it("sends alert frames to every socket of the installation and to no other's", () => {
    const sockets = new AlertSockets();
    const a1 = connect(installation('inst-a'));
    const a2 = connect(installation('inst-a'));
    const b = connect(installation('inst-b'));
    const key = connect(apiKey);
    for (const { client } of [a1, a2, b, key]) sockets.add(client);
    assert.equal(sockets.size, 3, 'an API key socket is not registered');
    assert.equal(sockets.deliver('inst-a', [alert('1'), alert('2')]), 2);
    assert.deepEqual(a1.socket.sent, [
      { type: 'alert', alert: alert('1') },
      { type: 'alert', alert: alert('2') },
    ]);
    assert.equal(a2.socket.sent.length, 2);
    assert.equal(b.socket.sent.length, 0);
    assert.equal(key.socket.sent.length, 0);
  });

  it('forgets a closed socket, and an installation with no socket left', () => {
    const sockets = new AlertSockets();
    const a = connect(installation('inst-a'));
    sockets.add(a.client);
    sockets.remove(a.client);
    assert.equal(sockets.size, 0);
    assert.equal(sockets.deliver('inst-a', [alert('1')]), 0);
    assert.equal(a.socket.sent.length, 0);
  });
});
