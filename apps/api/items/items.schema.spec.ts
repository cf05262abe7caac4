import 'reflect-metadata';
import { describe, it } from 'node:test';
import {
  assertQuerySchemaAgrees,
  assertSchemaAgrees,
  pageQueries,
} from '../http/schema-agreement.fakes.js';
import { CreateItemDto, ListItemsQuery, UpdateItemDto } from './items.dto.js';
import { CREATE_ITEM_BODY, LIST_ITEMS_QUERY, UPDATE_ITEM_BODY } from './items.schema.js';

/** Queries on both sides of every rule of GET /v1/items, and some a client might send by mistake. */
const QUERIES = [
  '',
  ...pageQueries(200),
  'limit=1e2',
  'active=true',
  'active=false',
  'active=TRUE',
  'active=1',
  'active=',
  'q=a',
  'q=',
  `q=${'x'.repeat(100)}`,
  `q=${'x'.repeat(101)}`,
  `q=${'😀'.repeat(100)}`,
  'q=a%00b',
  'q=a&q=b',
  'sector=technology',
  `sector=${'s'.repeat(64)}`,
  `sector=${'s'.repeat(65)}`,
  'unknown=1',
  'limit=5&sector=Energy&q=ab&active=false&cursor=QUFQTA',
];

describe('LIST_ITEMS_QUERY (Fastify, Ajv) and ListItemsQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(LIST_ITEMS_QUERY, ListItemsQuery, QUERIES));
});

const ITEM = { symbol: 'NVDA', name: 'NVIDIA Corp', sector: 'Information Technology' };

/** What an item body may be wrong in, field by field; each is tried on a whole valid item too. */
const FIELDS = [
  { name: 'N' },
  { name: 'x'.repeat(200) },
  { name: 'x'.repeat(201) },
  { name: '😀'.repeat(200) },
  { name: '' },
  { name: '   ' },
  { name: 'a\u0000b' },
  { name: 42 },
  { description: '' },
  { description: 'd'.repeat(2000) },
  { description: 'd'.repeat(2001) },
  { description: 'a\u0000b' },
  { sector: 'technology' },
  { sector: '' },
  { sector: 's'.repeat(64) },
  { sector: 's'.repeat(65) },
  { industry: 'Semiconductors' },
  { industry: null },
  { industry: 'i'.repeat(128) },
  { industry: 'i'.repeat(129) },
  { industry: 'a\u0000b' },
  { active: false },
  { active: 'true' },
  { active: 1 },
  { unknown: 1 },
];

/** Names with blanks around them: class-validator trims them (the DTO's transform) and decides. */
const UNTRIMMED = [{ name: '  NVIDIA Corp' }, { name: 'NVIDIA Corp\n' }, { name: '\u00a0NVIDIA' }];

describe('CREATE_ITEM_BODY (Fastify, Ajv) and CreateItemDto (class-validator)', () => {
  it('accept and refuse the same bodies', () =>
    assertSchemaAgrees(
      CREATE_ITEM_BODY,
      CreateItemDto,
      [
        ...FIELDS.map((f) => ({ ...ITEM, ...f })),
        { ...ITEM, symbol: 'BRK.B' },
        { ...ITEM, symbol: 'A' },
        { ...ITEM, symbol: 'ABCDEFGHIJ' },
        { ...ITEM, symbol: 'ABCDEFGHIJK' },
        { ...ITEM, symbol: 'nvda' },
        { ...ITEM, symbol: '1A' },
        { ...ITEM, symbol: null },
        { ...ITEM, description: null },
        { ...ITEM, active: null },
        { name: 'NVIDIA Corp', sector: 'Energy' },
        { symbol: 'NVDA', sector: 'Energy' },
        { symbol: 'NVDA', name: 'NVIDIA Corp' },
        {},
        [],
        null,
      ],
      UNTRIMMED.map((f) => ({ ...ITEM, ...f })),
    ));
});

describe('UPDATE_ITEM_BODY (Fastify, Ajv) and UpdateItemDto (class-validator)', () => {
  it('accept and refuse the same bodies', () =>
    assertSchemaAgrees(
      UPDATE_ITEM_BODY,
      UpdateItemDto,
      [
        ...FIELDS,
        {},
        { name: null },
        { description: null },
        { sector: null },
        { active: null },
        { symbol: 'NVDA' },
        [],
        null,
      ],
      UNTRIMMED,
    ));
});
