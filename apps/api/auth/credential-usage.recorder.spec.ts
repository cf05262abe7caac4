import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageDelta } from '#database';
import { CredentialUsageRecorder } from './credential-usage.recorder.js';

/** A sink that remembers every write, and fails the first `failures` of them. */
function sink(failures = 0) {
  const writes: UsageDelta[][] = [];
  return {
    writes,
    add: async (deltas: readonly UsageDelta[]) => {
      if (failures-- > 0) throw new Error('database away');
      writes.push(deltas.map((d) => ({ ...d })));
    },
  };
}

describe('CredentialUsageRecorder', () => {
  it('writes nothing per request, then one batch with each credential counted once', async () => {
    const target = sink();
    const recorder = new CredentialUsageRecorder(target, 60_000);
    const first = new Date('2026-12-06T10:00:00Z');
    const last = new Date('2026-12-06T10:00:30Z');
    for (let i = 0; i < 100; i++) recorder.record('key-1', false, first);
    recorder.record('key-1', false, last);
    recorder.record('inst-1', true, first);
    assert.equal(target.writes.length, 0, 'a request never writes');

    await recorder.flush();
    assert.deepEqual(target.writes, [
      [
        { id: 'key-1', kind: 'key', requests: 101, lastUsedAt: last },
        { id: 'inst-1', kind: 'installation', requests: 1, lastUsedAt: first },
      ],
    ]);
    await recorder.flush();
    assert.equal(target.writes.length, 1, 'nothing new, nothing written');
  });

  it('keeps the counts of a failed write for the next one', async () => {
    const target = sink(1);
    const recorder = new CredentialUsageRecorder(target, 60_000);
    recorder.record('key-1', false, new Date('2026-12-06T10:00:00Z'));
    await recorder.flush();
    recorder.record('key-1', false, new Date('2026-12-06T10:01:00Z'));
    await recorder.flush();
    assert.deepEqual(target.writes, [
      [{ id: 'key-1', kind: 'key', requests: 2, lastUsedAt: new Date('2026-12-06T10:01:00Z') }],
    ]);
  });

  it('writes what is left when the process shuts down', async () => {
    const target = sink();
    const recorder = new CredentialUsageRecorder(target, 60_000);
    recorder.onModuleInit();
    recorder.record('key-1', false);
    await recorder.beforeApplicationShutdown();
    assert.equal(target.writes.length, 1);
    assert.equal(target.writes[0]![0]!.requests, 1);
  });
});
