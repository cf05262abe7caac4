// The KEDA ScaledObject of deploy/k8s counts the scan backlog in two Redis keys. Its offline check
// compares them with BullMQ's naming (src/k8s); this spec compares them with what a running api
// really writes: with no worker up, a scan it accepts waits in the queue, and the trigger keys must
// be the keys holding it. KEDA's redis scaler counts a list with LLEN and a sorted set with ZCARD.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, QUEUES } from '#jobs';
import { renderWithProject } from '../src/k8s/kustomize.js';
import type { Scan } from './support/api-types.js';
import { testConfig } from './support/e2e.js';
import { useStack } from './support/stack.js';

interface Trigger {
  name: string;
  metadata: { listName: string };
}

/** The keys the production overlay's worker triggers count, by trigger name. */
function kedaTriggers(): { waiting: string; prioritized: string } {
  const objects = renderWithProject(join(process.cwd(), 'deploy/k8s/overlays/production'));
  const scaled = objects.find((o) => o.kind === 'ScaledObject');
  assert.ok(scaled, 'the production overlay has no ScaledObject');
  const triggers = (scaled.spec as { triggers: Trigger[] }).triggers;
  const listOf = (name: string) => {
    const trigger = triggers.find((t) => t.name === name);
    assert.ok(trigger, `no trigger named ${name}`);
    return trigger.metadata.listName;
  };
  return { waiting: listOf('waiting'), prioritized: listOf('prioritized') };
}

describe('the KEDA triggers of the production overlay', () => {
  // No worker: what the api enqueues stays waiting.
  const stack = useStack({ api: true, scans: true, keys: { key: 'read,scan' } });
  const redis = new Redis(testConfig().redisUrl);
  let queue: Queue | undefined;
  const jobIds: string[] = [];
  after(async () => {
    for (const id of jobIds) await queue?.remove(id);
    await queue?.close();
    redis.disconnect();
  });
  /** LLEN + ZCARD of the two trigger keys: what the ScaledObject's formula adds up. */
  const backlog = async (triggers: { waiting: string; prioritized: string }) =>
    (await redis.llen(triggers.waiting)) + (await redis.zcard(triggers.prioritized));

  it('name the keys where the scans the api accepts wait, a list and a sorted set', async (t) => {
    const triggers = kedaTriggers();
    // Other specs may have left jobs in the shared test Redis: count from here.
    const before = await backlog(triggers);
    const res = await stack.call<Scan>('/v1/scans', {
      method: 'POST',
      key: stack.keys.key,
      json: { maxSymbols: 5, profile: 'aggressive' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const scanId = res.body.id;

    // The job's own hash is `<prefix>:<queue>:<job id>`: the queue's qualified name, as written.
    const [jobKey, ...others] = await redis.keys(`*:${QUEUES.scan}:${scanId}`);
    assert.ok(jobKey && others.length === 0, `no single job key for ${scanId}`);
    const queueName = jobKey.slice(0, -`:${scanId}`.length);
    const prefix = queueName.slice(0, -`:${QUEUES.scan}`.length);
    queue = new Queue(QUEUES.scan, {
      connection: bullConnection(testConfig().redisUrl, 'producer'),
      prefix,
    });
    jobIds.push(scanId);

    assert.equal(triggers.waiting, `${queueName}:wait`);
    assert.equal(await redis.type(triggers.waiting), 'list');
    assert.ok((await redis.lrange(triggers.waiting, 0, -1)).includes(scanId));

    // The api adds no priority today; a job that has one waits in the sorted set next to it.
    const probe = await queue.add('k8s-priority-probe', {}, { priority: 1 });
    jobIds.push(probe.id!);
    assert.equal(triggers.prioritized, `${queueName}:prioritized`);
    assert.equal(await redis.type(triggers.prioritized), 'zset');
    assert.notEqual(await redis.zscore(triggers.prioritized, probe.id!), null);

    const waiting = await redis.llen(triggers.waiting);
    const prioritized = await redis.zcard(triggers.prioritized);
    t.diagnostic(
      `${triggers.waiting} (list) LLEN ${waiting}, ${triggers.prioritized} (zset) ZCARD ${prioritized}: the formula's sum is ${waiting + prioritized} (${before} before this test)`,
    );
    assert.equal(waiting + prioritized, before + 2);
  });
});
