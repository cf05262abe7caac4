import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as settle } from 'node:timers/promises';
import { loadConfig } from '#config';
import type { MarketDataProducer } from '#jobs';
import { REFRESH_CRON, RefreshBarsScheduler } from './refresh-bars.scheduler.js';

const configWith = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: 'test', ...env }, '/nonexistent/.env');

/** A producer that records the calls instead of talking to Redis. */
function fakeProducer(options: { fail?: boolean } = {}) {
  const calls: string[] = [];
  const producer = {
    scheduleRefresh: async (repeat: unknown) => {
      calls.push(`schedule ${JSON.stringify(repeat)}`);
      if (options.fail) throw new Error('redis away');
    },
    unscheduleRefresh: async () => {
      calls.push('unschedule');
      return true;
    },
  };
  return { calls, producer: producer as unknown as MarketDataProducer };
}

describe('RefreshBarsScheduler', () => {
  it('runs the refresh at 16:30 New York time on weekdays', () => {
    assert.deepEqual(REFRESH_CRON, { pattern: '30 16 * * 1-5', tz: 'America/New_York' });
  });

  it('keeps the schedule when POLYGON_API_KEY is set', async () => {
    const { calls, producer } = fakeProducer();
    new RefreshBarsScheduler(
      configWith({ POLYGON_API_KEY: 'k' }),
      producer,
    ).onApplicationBootstrap();
    await settle();
    assert.deepEqual(calls, [`schedule ${JSON.stringify(REFRESH_CRON)}`]);
  });

  it('removes a schedule left by an earlier start when POLYGON_API_KEY is not set', async () => {
    const { calls, producer } = fakeProducer();
    new RefreshBarsScheduler(configWith({}), producer).onApplicationBootstrap();
    await settle();
    assert.deepEqual(calls, ['unschedule']);
  });

  it('does not hold up the start, nor crash it, when Redis refuses the schedule', async () => {
    const { calls, producer } = fakeProducer({ fail: true });
    assert.equal(
      new RefreshBarsScheduler(
        configWith({ POLYGON_API_KEY: 'k' }),
        producer,
      ).onApplicationBootstrap(),
      undefined,
    );
    await settle();
    assert.equal(calls.length, 1);
  });
});
