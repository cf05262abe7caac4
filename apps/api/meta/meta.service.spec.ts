import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signalFor } from '#scan-engine';
import type { MetaDto } from './meta.dto.js';
import { metaEtag, sectorsOf, SIGNAL_THRESHOLDS } from './meta.service.js';

const meta = (remaining: number, limit = 20): MetaDto => ({
  data: {
    firstBarDate: '2013-02-08',
    lastBarDate: '2018-02-07',
    version: 3,
    source: 'embedded',
    refreshedAt: '2026-12-06T09:00:00.000Z',
  },
  sectors: [],
  profiles: [],
  signalThresholds: { ...SIGNAL_THRESHOLDS },
  limits: {
    windowSeconds: 60,
    buckets: [{ bucket: 'scansCreate', limit, remaining, resetSeconds: 30 }],
  },
});

describe('GET /v1/meta decisions', () => {
  it('keeps the ETag when only what remains of a limit changes', () => {
    assert.equal(metaEtag(meta(18)), metaEtag(meta(3)));
  });

  it('changes the ETag when the data version or a configured limit changes', () => {
    const bumped = meta(18);
    bumped.data.version = 4;
    assert.notEqual(metaEtag(bumped), metaEtag(meta(18)));
    assert.notEqual(metaEtag(meta(18, 600)), metaEtag(meta(18)));
  });

  it('states the thresholds the engine applies', () => {
    const t = SIGNAL_THRESHOLDS;
    assert.equal(signalFor(t.strongLong), 'Strong Long');
    assert.equal(signalFor(t.strongLong - 0.1), 'Long');
    assert.equal(signalFor(t.long), 'Long');
    assert.equal(signalFor(t.long - 0.1), 'Avoid');
    assert.equal(signalFor(t.short + 0.1), 'Avoid');
    assert.equal(signalFor(t.short), 'Short');
    assert.equal(signalFor(t.strongShort + 0.1), 'Short');
    assert.equal(signalFor(t.strongShort), 'Strong Short');
  });

  it('lists every GICS sector with its aliases and count, then sectors only items carry', () => {
    const sectors = sectorsOf(
      new Map([
        ['Energy', 31],
        ['Synthetic', 10_000],
      ]),
    );
    const names = sectors.map((s) => s.name);
    assert.equal(names.length, 12);
    assert.equal(names[names.length - 1], 'Synthetic');
    assert.equal(sectors.find((s) => s.name === 'Energy')!.instruments, 31);
    assert.equal(sectors.find((s) => s.name === 'Utilities')!.instruments, 0);
    assert.ok(sectors.find((s) => s.name === 'Information Technology')!.aliases.includes('tech'));
  });
});
