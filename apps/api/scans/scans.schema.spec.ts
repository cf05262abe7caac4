import 'reflect-metadata';
import { describe, it } from 'node:test';
import {
  assertQuerySchemaAgrees,
  assertSchemaAgrees,
  RawJson,
} from '../http/schema-agreement.fakes.js';
import { CreateScanDto, WaitQuery } from './scans.dto.js';
import { CREATE_SCAN_BODY, WAIT_QUERY } from './scans.schema.js';

/** Each field on both sides of every rule, and what a client might send by mistake. */
const FIELDS: Record<string, unknown[]> = {
  sectors: [
    ['technology'],
    Array(20).fill('Energy'),
    Array(21).fill('Energy'),
    [],
    ['s'.repeat(64)],
    ['s'.repeat(65)],
    [1],
    'Energy',
  ],
  symbols: [
    ['AAPL'],
    Array(500).fill('A'),
    Array(501).fill('A'),
    [],
    ['X'.repeat(10)],
    ['X'.repeat(11)],
    [null],
    'AAPL',
  ],
  maxSymbols: [1, 500, 0, 501, 2.5, 10.0, '5', true, -1],
  minTechRating: [0, 100, 55.5, -0.1, 100.1, '50'],
  profile: ['conservative', 'balanced', 'aggressive', 'Balanced', '', 3],
  direction: ['long', 'short', 'both', 'LONG', 'up', 0],
  asOf: ['2016-06-30', '2016-6-30', '2016-06-30T00:00:00Z', '١٢٣٤-٠٦-٣٠', 20160630],
  accountSize: [100, 1e9, 99.99, 1e9 + 1, '1000', 25_000],
  riskPct: [0.1, 5, 0.09, 5.01, 1, '1'],
  targetRR: [0.1, 20, 0.09, 20.5, 2, '2'],
};

describe('CREATE_SCAN_BODY (Fastify, Ajv) and CreateScanDto (class-validator)', () => {
  it('accept and refuse the same scan bodies', () =>
    assertSchemaAgrees(
      CREATE_SCAN_BODY,
      CreateScanDto,
      [
        {},
        ...Object.entries(FIELDS).flatMap(([field, values]) =>
          values.map((value) => ({ [field]: value })),
        ),
        { maxSymbols: 9, minTechRating: 3, sectors: ['energy'], profile: 'aggressive' },
        { unknown: 1 },
        // JSON.parse reads these as ±Infinity.
        new RawJson('{"maxSymbols": 1e400}'),
        new RawJson('{"minTechRating": 1e400}'),
        new RawJson('{"accountSize": -1e400}'),
        { maxsymbols: 5 },
        [],
        'scan',
        42,
      ],
      // class-validator's IsOptional lets null through; Ajv refuses it and hands it over.
      [{ maxSymbols: null }, { sectors: null }, { asOf: null }],
    ));
});

describe('WAIT_QUERY (Fastify, Ajv) and WaitQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(
      WAIT_QUERY,
      WaitQuery,
      [
        '',
        'wait=0',
        'wait=30',
        'wait=2.5',
        'wait=-1',
        'wait=31',
        'wait=abc',
        'wait=Infinity',
        'wait=NaN',
        'wait=1e1',
        'wait=%201',
        'wait=1&wait=2',
        'Wait=1',
        'wait=1&other=2',
      ],
      ['wait='],
    ));
});
