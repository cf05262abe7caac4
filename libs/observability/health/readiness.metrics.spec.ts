import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthReady } from '../metrics.js';
import { ReadinessMetrics } from './readiness.metrics.js';
import type { CheckState, ReadinessService } from './readiness.service.js';

const ready = async (): Promise<number | undefined> => (await healthReady.get()).values[0]?.value;

const sampler = (check: () => Promise<Record<string, CheckState>>) =>
  new ReadinessMetrics({ check } as unknown as ReadinessService);

describe('ReadinessMetrics', () => {
  it('reports 1 when every dependency is up and 0 when one is down', async () => {
    await sampler(async () => ({ database: 'up', redis: 'up' })).sample();
    assert.equal(await ready(), 1);
    await sampler(async () => ({ database: 'up', redis: 'down' })).sample();
    assert.equal(await ready(), 0);
  });

  it('reports 0 when the checks themselves fail', async () => {
    await sampler(async () => ({ database: 'up', redis: 'up' })).sample();
    await sampler(() => Promise.reject(new Error('pool closed'))).sample();
    assert.equal(await ready(), 0);
  });

  it('runs one sample at a time: a slow check is not stacked up by the timer', async () => {
    let calls = 0;
    let finish!: () => void;
    const metrics = sampler(() => {
      calls += 1;
      return new Promise((resolve) => (finish = () => resolve({ database: 'up', redis: 'up' })));
    });
    const first = metrics.sample();
    await metrics.sample();
    assert.equal(calls, 1);
    finish();
    await first;
    assert.equal(await ready(), 1);
  });

  it('says not ready from the start until a sample says otherwise, and again on shutdown', async () => {
    await sampler(async () => ({ database: 'up', redis: 'up' })).sample();
    const metrics = sampler(() => new Promise(() => {}));
    metrics.onModuleInit();
    assert.equal(await ready(), 0);
    metrics.onApplicationShutdown();
    assert.equal(await ready(), 0);
  });
});
