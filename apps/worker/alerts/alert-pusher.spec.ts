import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Push, PushOutcome } from '#apns';
import type { ClaimedAlert, PushState } from './alert-delivery.repository.js';
import { AlertPusher, type PushBudget, type PushStore } from './alert-pusher.js';

const alert = (id: string, watchId: string, installationId: string): ClaimedAlert => ({
  id,
  watchId,
  watchName: `watch ${watchId}`,
  installationId,
  dataVersion: 7,
  kind: 'entered',
  symbol: `S${id}`,
  before: null,
  after: { symbol: `S${id}`, rank: Number(id), signal: 'Long', techRating: 70 },
  createdAt: '2026-12-07T12:00:00.000Z',
});

/** A store over rows in memory that claims like the SQL does: only unhandled alerts. */
function fakeStore(rows: ClaimedAlert[], tokens: Record<string, string>) {
  const states = new Map<string, PushState | null>(rows.map((row) => [row.id, null]));
  const dropped: string[] = [];
  const store: PushStore = {
    claimForPush: async (ids) => {
      const claimed = rows.filter((row) => ids.includes(row.id) && states.get(row.id) === null);
      for (const row of claimed) states.set(row.id, 'sending');
      return claimed;
    },
    pushTargets: async (installationIds) =>
      new Map(
        installationIds
          .filter((id) => tokens[id])
          .map((id) => [
            id,
            { installationId: id, token: tokens[id]!, environment: 'production' as const },
          ]),
      ),
    settle: async (ids, state) => {
      for (const id of ids) states.set(id, state);
    },
    dropToken: async (installationId, token) => {
      if (tokens[installationId] === token) delete tokens[installationId];
      dropped.push(installationId);
    },
  };
  return { store, states, dropped };
}

/** A sender answering from a script per device token (200 when none), recording every push. */
function fakeSender(answers: Record<string, PushOutcome['kind']> = {}) {
  const sent: Push[] = [];
  return {
    sent,
    send: async (push: Push): Promise<PushOutcome> => {
      sent.push(push);
      const kind = answers[push.deviceToken] ?? 'sent';
      if (kind === 'sent') return { kind, attempts: 1 };
      if (kind === 'failed')
        return { kind, reason: 'InternalServerError', status: 500, attempts: 4 };
      return { kind, status: 410, reason: 'Unregistered', attempts: 1 };
    },
  };
}

const unlimited = (): PushBudget & { given: number } => ({
  given: 0,
  take: async () => true,
  async giveBack() {
    this.given += 1;
  },
});

describe('AlertPusher', () => {
  it('sends one push per watch, with the watch id as collapse id and the alert ids in the payload', async () => {
    const rows = [alert('1', 'w1', 'i1'), alert('2', 'w1', 'i1'), alert('3', 'w2', 'i1')];
    const { store, states } = fakeStore(rows, { i1: 'aa'.repeat(32) });
    const sender = fakeSender();
    const counts = await new AlertPusher(store, sender, unlimited()).push(['1', '2', '3']);
    assert.deepEqual(counts, { sent: 3 });
    assert.deepEqual(
      sender.sent.map((push) => [push.collapseId, push.custom?.['alertIds']]),
      [
        ['w1', ['1', '2']],
        ['w2', ['3']],
      ],
    );
    assert.deepEqual([...states.values()], ['sent', 'sent', 'sent']);
  });

  it('sends nothing for alerts already claimed: a retried job pushes no alert twice', async () => {
    const rows = [alert('1', 'w1', 'i1')];
    const { store } = fakeStore(rows, { i1: 'aa'.repeat(32) });
    const sender = fakeSender();
    const pusher = new AlertPusher(store, sender, unlimited());
    await pusher.push(['1']);
    assert.deepEqual(await pusher.push(['1']), {});
    assert.equal(sender.sent.length, 1);
  });

  it('records no-config without an APNs client, no-token without a registered token', async () => {
    const rows = [alert('1', 'w1', 'i1'), alert('2', 'w2', 'i2')];
    const none = fakeStore(rows, { i1: 'aa'.repeat(32) });
    assert.deepEqual(await new AlertPusher(none.store, null, unlimited()).push(['1', '2']), {
      'no-config': 2,
    });
    const some = fakeStore(rows, { i1: 'aa'.repeat(32) });
    assert.deepEqual(
      await new AlertPusher(some.store, fakeSender(), unlimited()).push(['1', '2']),
      {
        sent: 1,
        'no-token': 1,
      },
    );
  });

  it('drops a dead token and sends that installation nothing more, in this job or the next', async () => {
    const token = 'bb'.repeat(32);
    const rows = [alert('1', 'w1', 'i1'), alert('2', 'w2', 'i1'), alert('3', 'w3', 'i1')];
    const { store, states, dropped } = fakeStore(rows, { i1: token });
    const sender = fakeSender({ [token]: 'dead-token' });
    const budget = unlimited();
    const pusher = new AlertPusher(store, sender, budget);
    await pusher.push(['1', '2']);
    assert.deepEqual([...new Set(dropped)], ['i1']);
    // The lanes run concurrently: the second watch may have been sent before the first answer came.
    assert.ok(sender.sent.length >= 1 && sender.sent.length <= 2);
    assert.equal(states.get('1'), 'rejected');
    await pusher.push(['3']);
    assert.equal(states.get('3'), 'no-token');
    assert.ok(sender.sent.length <= 2);
    assert.equal(budget.given, sender.sent.length, 'a push that never arrived is given back');
  });

  it('records capped when the daily budget is spent, and failed when retries ran out', async () => {
    const rows = [alert('1', 'w1', 'i1'), alert('2', 'w2', 'i2')];
    const { store, states } = fakeStore(rows, { i1: 'aa'.repeat(32), i2: 'cc'.repeat(32) });
    const budget: PushBudget = {
      take: async (installationId) => installationId !== 'i1',
      giveBack: async () => {},
    };
    const sender = fakeSender({ ['cc'.repeat(32)]: 'failed' });
    await new AlertPusher(store, sender, budget).push(['1', '2']);
    assert.equal(states.get('1'), 'capped');
    assert.equal(states.get('2'), 'failed');
  });

  it('ends a group failed, never stuck in sending, when the budget cannot be read', async () => {
    const { store, states } = fakeStore([alert('1', 'w1', 'i1')], { i1: 'aa'.repeat(32) });
    const budget: PushBudget = {
      take: async () => {
        throw new Error('Redis is away');
      },
      giveBack: async () => {},
    };
    await new AlertPusher(store, fakeSender(), budget).push(['1']);
    assert.equal(states.get('1'), 'failed');
  });
});
