import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { clientAddress, proxyTrust } from './client-address.js';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('proxyTrust', () => {
  it('trusts the peers inside the ranges, IPv4 on a dual-stack socket included, and no one else', () => {
    const trusted = proxyTrust(['172.28.0.0/16', '127.0.0.0/8', '::1/128']);
    for (const inside of ['172.28.0.5', '172.28.255.255', '127.0.0.1', '::1', '::ffff:172.28.3.4'])
      assert.equal(trusted(inside), true, inside);
    for (const outside of ['172.29.0.1', '10.0.0.1', '::2', '::ffff:10.0.0.1', 'unknown', ''])
      assert.equal(trusted(outside), false, outside);
  });

  it('trusts nobody for an empty list (TRUST_PROXY=none)', () => {
    assert.equal(proxyTrust([])('127.0.0.1'), false);
  });
});

describe('clientAddress', () => {
  const compose = proxyTrust(['172.28.0.0/16']);

  it('takes X-Forwarded-For from a trusted proxy (Nginx in the compose network)', () => {
    assert.equal(clientAddress(request('172.28.0.9', '198.51.100.4'), compose), '198.51.100.4');
  });

  it('ignores X-Forwarded-For from a peer outside the ranges', () => {
    assert.equal(clientAddress(request('198.51.100.4', '10.9.9.9'), compose), '198.51.100.4');
    assert.equal(clientAddress(request('172.28.0.9', '10.9.9.9'), proxyTrust([])), '172.28.0.9');
  });

  it('walks back through trusted hops only, as proxy-addr does: a forged first entry is not believed', () => {
    // client 203.0.113.5 forged "10.1.1.1", passed a trusted load balancer 172.28.0.2, then Nginx.
    const forged = request('172.28.0.9', '10.1.1.1, 203.0.113.5, 172.28.0.2');
    assert.equal(clientAddress(forged, compose), '203.0.113.5');
  });

  it('keeps the peer when there is no header', () => {
    assert.equal(clientAddress(request('172.28.0.9'), compose), '172.28.0.9');
  });
});
