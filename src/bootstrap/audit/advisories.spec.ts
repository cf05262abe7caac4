// What `npm audit --json` prints, turned into the audit's outcome: the report (npm 11's shape),
// a refused endpoint, an unreachable registry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advisoriesOf, outcomeOf } from './advisories.mjs';

const advisory = (name: string, ghsa: string, severity: string, source: number) => ({
  source,
  name,
  dependency: name,
  title: `${severity} issue in ${name}`,
  url: `https://github.com/advisories/${ghsa}`,
  severity,
  cwe: ['CWE-400'],
  cvss: { score: 7.5, vectorString: null },
  range: '<2.0.1',
});

// As npm 11 prints it: `ws` has the advisory; `@nestjs/platform-ws` is reached through it.
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    '@nestjs/platform-ws': {
      name: '@nestjs/platform-ws',
      severity: 'high',
      via: ['ws'],
      nodes: ['node_modules/@nestjs/platform-ws'],
    },
    ws: {
      name: 'ws',
      severity: 'high',
      via: [
        advisory('ws', 'GHSA-3h5v-q93c-6h6q', 'high', 1001),
        advisory('ws', 'GHSA-2mhh-w6q8-5hxw', 'moderate', 1002),
      ],
      nodes: ['node_modules/@nestjs/platform-ws/node_modules/ws', 'node_modules/ws'],
    },
  },
  metadata: { dependencies: { prod: 196 } },
};

describe('advisoriesOf', () => {
  it('lists each advisory once, by its GHSA id, with the paths of the vulnerable package', () => {
    assert.deepEqual(
      advisoriesOf(report).map((a) => [a.id, a.package, a.severity, a.paths.length]),
      [
        ['GHSA-3h5v-q93c-6h6q', 'ws', 'high', 2],
        ['GHSA-2mhh-w6q8-5hxw', 'ws', 'moderate', 2],
      ],
    );
  });

  it("falls back to npm's numeric id when the URL names no GHSA", () => {
    const bare = { ...advisory('pg', 'x', 'low', 77), url: '' };
    const [only] = advisoriesOf({ vulnerabilities: { pg: { name: 'pg', via: [bare] } } });
    assert.equal(only.id, '77');
  });
});

describe('outcomeOf', () => {
  it('reads a report as audited, with the production package count', () => {
    const outcome = outcomeOf(JSON.stringify(report));
    assert.equal(outcome.status, 'audited');
    assert.equal(outcome.status === 'audited' && outcome.dependencies, 196);
  });

  it("reads the registry's refusal (a status code) as skipped, quoting it", () => {
    const refused = {
      message:
        '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    assert.deepEqual(outcomeOf(JSON.stringify(refused)), {
      status: 'skipped',
      reason: `the registry refuses its advisory endpoint: ${refused.message}`,
    });
  });

  it('reads a failed request as an unreachable registry, skipped', () => {
    const failed = {
      message:
        'request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9',
      error: { summary: '', detail: '' },
    };
    const outcome = outcomeOf(JSON.stringify(failed));
    assert.equal(outcome.status, 'skipped');
    assert.match(
      outcome.status === 'skipped' ? outcome.reason : '',
      /^the registry is unreachable/,
    );
  });

  it('reads anything else as an error, which fails the audit', () => {
    assert.equal(outcomeOf('npm ERR! something').status, 'error');
    assert.equal(outcomeOf('{"message":"EUSAGE"}').status, 'error');
  });
});
