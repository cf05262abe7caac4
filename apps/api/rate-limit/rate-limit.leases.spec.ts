import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LEASE_END_MARGIN_MS,
  leaseCeiling,
  leaseUnits,
  RateLimitLeases,
} from './rate-limit.leases.js';

describe('RateLimitLeases', () => {
  let clock = 0;
  const leases = () => new RateLimitLeases(500, () => clock);
  /** A round trip sent at `clock` that counted the window to `hits` and granted `granted` more. */
  const settle = (table: RateLimitLeases, hits: number, granted: number, limit = 600) =>
    table.settle('k', limit, { hits, granted, pttl: 60_000, sentAt: clock });

  it('leases nothing from a small limit, a thirty-second of a larger one, at most 1,024 units', () => {
    assert.equal(leaseUnits(5), 0);
    assert.equal(leaseUnits(63), 0, 'one unit is not worth a lease');
    assert.equal(leaseUnits(64), 2);
    assert.equal(leaseUnits(600), 18);
    assert.equal(leaseUnits(1_000_000), 1024);
    assert.equal(leaseCeiling(600), 300);
  });

  it('admits from a granted lease until it is spent, counting on from the window count Redis gave', () => {
    clock = 0;
    const table = leases();
    settle(table, 10, 3);
    assert.deepEqual(table.take('k', 600, 1), {
      totalHits: 11,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    assert.equal(table.take('k', 600, 2)?.totalHits, 13);
    assert.equal(table.take('k', 600, 1), null, 'spent: the next hit asks Redis');
    assert.equal(table.take('other', 600, 1), null, 'another key has no lease');
  });

  it('keeps a lease from serving another limit, a larger batch than it holds, or a window about to roll over', () => {
    clock = 0;
    const table = leases();
    settle(table, 1, 4);
    assert.equal(table.take('k', 300, 1), null, 'the limit changed (an override)');
    assert.equal(table.take('k', 600, 5), null);
    clock = 60_000 - LEASE_END_MARGIN_MS;
    assert.equal(table.take('k', 600, 1), null, 'within the margin of the window end');
  });

  it('keeps the units left in the same window when a round trip grants more, or none', () => {
    clock = 0;
    const table = leases();
    settle(table, 1, 4);
    table.take('k', 600, 3);
    settle(table, 290, 18);
    assert.equal(table.unspent('k'), 19);
    settle(table, 310, 0);
    assert.equal(
      table.unspent('k'),
      19,
      'past half the limit: no more granted, the rest still spent here',
    );
    assert.equal(table.take('k', 600, 1)?.totalHits, 311);
  });

  it('takes refunds while far from the limit, and sends them to Redis once near it', () => {
    clock = 0;
    const table = leases();
    settle(table, 5, 4);
    assert.equal(table.refund('k', 2), true);
    assert.equal(table.unspent('k'), 6);
    assert.equal(table.take('k', 600, 1)?.totalHits, 4, 'the refunded units no longer count');
    settle(table, 400, 0);
    assert.equal(table.refund('k', 1), false, 'near the limit another process may need the unit');
    assert.equal(table.refund('none', 1), false);
  });

  it('gives idle leases back and forgets ended ones; at shutdown gives every unspent unit back', () => {
    clock = 0;
    const table = leases();
    settle(table, 1, 5);
    table.settle('busy', 600, { hits: 1, granted: 5, pttl: 60_000, sentAt: 0 });
    table.settle('ending', 600, { hits: 1, granted: 5, pttl: 400, sentAt: 0 });
    clock = 450;
    table.take('busy', 600, 1);
    clock = 600;
    assert.deepEqual(table.sweep(), [['k', 5]]);
    assert.equal(table.take('ending', 600, 1), null, 'the ended one is forgotten, not given back');
    assert.equal(table.unspent('busy'), 4, 'the busy one stays');
    assert.deepEqual(table.drain(), [['busy', 4]]);
    assert.equal(table.size, 0);
  });

  it('asks for a lease only for a key whose previous round trip came back within the idle time', () => {
    clock = 0;
    const table = leases();
    assert.equal(table.want('k', 600), 0, 'a first request: no lease to give back later');
    settle(table, 1, 0);
    clock = 499;
    assert.equal(table.want('k', 600), 18);
    assert.equal(table.want('k', 10), 0, 'a small limit never leases');
    clock = 500;
    assert.equal(table.want('k', 600), 0, 'one request every half second or slower: none');
    table.sweep();
    assert.equal(table.size, 0, 'the key seen long ago is forgotten');
  });
});
