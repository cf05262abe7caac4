import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertSchemaAgrees } from '../http/schema-agreement.fakes.js';
import { CreateWatchDto, TOP_N_MAX, UpdateWatchDto } from './watches.dto.js';
import { CREATE_WATCH_BODY, UPDATE_WATCH_BODY } from './watches.schema.js';

const REQUEST = { sectors: ['Information Technology'], profile: 'balanced', maxSymbols: 25 };

/** What a watch body may be wrong in, on top of the scan request's own rules (scans.schema.spec). */
const VARIANTS = [
  { request: {} },
  { request: REQUEST },
  // Accepted by both: watch-request.ts refuses a watch's asOf with its own 400.
  { request: { asOf: '2018-02-07' } },
  { request: { maxSymbols: '5' } },
  { request: { maxSymbols: 501 } },
  { request: { sectors: [] } },
  { request: { unknown: 1 } },
  { request: [] },
  { request: 'scan' },
  { notify: {} },
  { notify: { topN: 1 } },
  { notify: { topN: TOP_N_MAX } },
  { notify: { topN: 0 } },
  { notify: { topN: TOP_N_MAX + 1 } },
  { notify: { topN: 2.5 } },
  { notify: { topN: '5' } },
  { notify: { on: [] } },
  { notify: { on: ['enter'] } },
  { notify: { on: ['enter', 'exit', 'signalChange'] } },
  { notify: { on: ['enter', 'enter'] } },
  { notify: { on: ['enter', 'exit', 'signalChange', 'enter'] } },
  { notify: { on: ['entered'] } },
  { notify: { on: 'enter' } },
  { notify: { on: [null] } },
  { notify: { every: 'day' } },
  { notify: [] },
  { name: '' },
  { name: 'x'.repeat(100) },
  { name: 'x'.repeat(101) },
  { name: 7 },
  { colour: 'blue' },
];

/** class-validator's IsOptional lets null through; Ajv refuses it and hands it over. */
const NULLS = [{ notify: null }, { notify: { topN: null } }, { request: { sectors: null } }];

describe('CREATE_WATCH_BODY (Fastify, Ajv) and CreateWatchDto (class-validator)', () => {
  it('accept and refuse the same bodies', () =>
    assertSchemaAgrees(
      CREATE_WATCH_BODY,
      CreateWatchDto,
      [
        ...VARIANTS.map((v) => ({ name: 'Tech longs', request: REQUEST, ...v })),
        { request: REQUEST },
        { name: 'Tech longs' },
        { name: 'Tech longs', request: null },
        {},
        [],
        null,
      ],
      NULLS.map((v) => ({ name: 'Tech longs', request: REQUEST, ...v })),
    ));
});

describe('UPDATE_WATCH_BODY (Fastify, Ajv) and UpdateWatchDto (class-validator)', () => {
  it('accept and refuse the same bodies', () =>
    assertSchemaAgrees(
      UPDATE_WATCH_BODY,
      UpdateWatchDto,
      [...VARIANTS, {}, [], null],
      [...NULLS, { name: null }, { request: null }],
    ));
});
