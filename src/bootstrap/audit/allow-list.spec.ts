// audit-allow.json: what an acceptance must say, and how advisories are sorted by it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Advisory } from './advisories.mjs';
import { judge, parseAllowList } from './allow-list.mjs';

const ON = '2026-12-07';
const REASON = 'reached only from the CLI, with our own files as input';
const entry = (overrides: object = {}) => ({
  id: 'GHSA-3h5v-q93c-6h6q',
  package: 'ws',
  reason: REASON,
  expires: '2027-03-01',
  ...overrides,
});
const advisory = (id: string, severity: Advisory['severity'], name = 'ws'): Advisory => ({
  id,
  package: name,
  severity,
  title: `${severity} in ${name}`,
  url: `https://github.com/advisories/${id}`,
  range: '<8.17.1',
  paths: [`node_modules/${name}`],
});

describe('parseAllowList', () => {
  it('accepts a complete entry', () => {
    assert.deepEqual(parseAllowList({ accepted: [entry()] }, ON), {
      accepted: [entry()],
      errors: [],
    });
  });

  it('reports every problem of every entry at once', () => {
    const { accepted, errors } = parseAllowList(
      {
        accepted: [
          entry({ reason: 'fine' }),
          entry({ id: '', expires: '2027-02-30' }),
          entry({ package: 'pg', expires: '2028-01-01' }),
          entry(),
          entry(),
        ],
      },
      ON,
    );
    assert.deepEqual(accepted, [entry()]);
    assert.deepEqual(errors, [
      'accepted[0]: "reason" must say why, in 20 characters or more',
      'accepted[1]: "id" (the advisory) is missing; "expires" must be a date, YYYY-MM-DD',
      'accepted[2]: "expires" is more than 366 days ahead',
      'accepted[4]: GHSA-3h5v-q93c-6h6q ws is accepted twice',
    ]);
  });

  it('refuses a file without an "accepted" array', () => {
    assert.deepEqual(parseAllowList({ allowed: [] }, ON).errors, ['"accepted" must be an array']);
  });
});

describe('judge', () => {
  it('fails high and critical, lists the rest, and accepts by id and package until the expiry', () => {
    const verdict = judge(
      [
        advisory('GHSA-3h5v-q93c-6h6q', 'high'),
        advisory('GHSA-3h5v-q93c-6h6q', 'high', 'other-ws'),
        advisory('GHSA-9wv6-86v2-598j', 'critical'),
        advisory('GHSA-2mhh-w6q8-5hxw', 'moderate'),
      ],
      [entry(), entry({ id: 'GHSA-xxxx-xxxx-xxxx', package: 'gone' })],
      ON,
    );
    assert.deepEqual(
      verdict.accepted.map((a) => [a.id, a.package]),
      [['GHSA-3h5v-q93c-6h6q', 'ws']],
    );
    assert.deepEqual(
      verdict.failing.map((a) => [a.id, a.package]),
      [
        ['GHSA-3h5v-q93c-6h6q', 'other-ws'],
        ['GHSA-9wv6-86v2-598j', 'ws'],
      ],
    );
    assert.deepEqual(
      verdict.reported.map((a) => a.id),
      ['GHSA-2mhh-w6q8-5hxw'],
    );
    assert.deepEqual(
      verdict.unused.map((a) => a.package),
      ['gone'],
    );
  });

  it('accepts on the expiry day and fails from the day after', () => {
    const high = [advisory('GHSA-3h5v-q93c-6h6q', 'high')];
    const acceptances = [entry({ expires: ON })];
    assert.equal(judge(high, acceptances, ON).accepted.length, 1);
    const after = judge(high, acceptances, '2026-12-08');
    assert.equal(after.failing.length, 1);
    assert.equal(after.failing[0].expired, true);
  });
});
