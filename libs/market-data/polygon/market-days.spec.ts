import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, daysToFetch, exchangeClock, isWeekday } from './market-days.js';

describe('exchangeClock', () => {
  it('tells the New York date and time in winter (UTC−5)', () => {
    assert.deepEqual(exchangeClock(new Date('2018-02-09T21:30:00Z')), {
      today: '2018-02-09',
      minutes: 16 * 60 + 30,
    });
  });

  it('follows daylight saving time (UTC−4 in summer)', () => {
    assert.deepEqual(exchangeClock(new Date('2018-07-10T20:30:00Z')), {
      today: '2018-07-10',
      minutes: 16 * 60 + 30,
    });
  });

  it('is still the previous day in New York shortly after midnight UTC', () => {
    assert.equal(exchangeClock(new Date('2018-02-10T02:00:00Z')).today, '2018-02-09');
  });
});

describe('calendar helpers', () => {
  it('adds days across month ends and leap days', () => {
    assert.equal(addDays('2018-02-28', 1), '2018-03-01');
    assert.equal(addDays('2020-02-28', 1), '2020-02-29');
    assert.equal(addDays('2018-03-01', -1), '2018-02-28');
  });

  it('knows weekends', () => {
    assert.deepEqual(['2018-02-09', '2018-02-10', '2018-02-11', '2018-02-12'].map(isWeekday), [
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('daysToFetch', () => {
  const clock = (today: string, hhmm: string) => ({
    today,
    minutes: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)),
  });

  it('asks for the weekdays after the last bar up to yesterday before the close', () => {
    const plan = daysToFetch({
      lastBarDate: '2018-01-31',
      clock: clock('2018-02-12', '12:00'),
      maxDays: 30,
    });
    // 2018-01-31 is more than a week old, so it is not fetched again.
    assert.deepEqual(plan.days, [
      '2018-02-01',
      '2018-02-02',
      '2018-02-05',
      '2018-02-06',
      '2018-02-07',
      '2018-02-08',
      '2018-02-09',
    ]);
    assert.equal(plan.backlog, 0);
  });

  it('includes today once the session data is ready', () => {
    const plan = daysToFetch({
      lastBarDate: '2018-01-31',
      clock: clock('2018-02-12', '16:30'),
      maxDays: 30,
    });
    assert.equal(plan.days.at(-1), '2018-02-12');
  });

  it('fetches a recent last bar again, since it may have been corrected', () => {
    const plan = daysToFetch({
      lastBarDate: '2018-02-07',
      clock: clock('2018-02-09', '16:30'),
      maxDays: 30,
    });
    assert.deepEqual(plan.days, ['2018-02-07', '2018-02-08', '2018-02-09']);
  });

  it('caps the number of days and reports the rest as backlog, oldest first', () => {
    const plan = daysToFetch({
      lastBarDate: '2017-01-01',
      clock: clock('2018-02-12', '12:00'),
      maxDays: 30,
    });
    assert.equal(plan.days.length, 30);
    assert.equal(plan.days[0], '2017-01-02');
    assert.ok(plan.backlog > 250);
  });

  it('stops at `until` but never goes past the latest published day', () => {
    const early = daysToFetch({
      lastBarDate: '2018-02-07',
      clock: clock('2018-02-12', '12:00'),
      until: '2018-02-08',
      maxDays: 30,
    });
    assert.deepEqual(early.days, ['2018-02-07', '2018-02-08']);
    const late = daysToFetch({
      lastBarDate: '2018-02-07',
      clock: clock('2018-02-12', '12:00'),
      until: '2030-01-01',
      maxDays: 30,
    });
    assert.equal(late.days.at(-1), '2018-02-09');
  });

  it('does nothing on an empty database', () => {
    assert.deepEqual(
      daysToFetch({ lastBarDate: null, clock: clock('2018-02-12', '17:00'), maxDays: 30 }),
      {
        days: [],
        backlog: 0,
      },
    );
  });
});
