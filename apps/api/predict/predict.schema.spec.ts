import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertSchemaAgrees } from '../http/schema-agreement.fakes.js';
import { MAX_BATCH, MAX_TEXT, PredictBatchDto, PredictDto } from './predict.dto.js';
import { PREDICT_BATCH_BODY, PREDICT_TEXT_BODY } from './predict.schema.js';

const TEXTS = [
  'a',
  ' ',
  '$AAPL beats estimates',
  'x'.repeat(MAX_TEXT),
  '😀'.repeat(MAX_TEXT),
  'é'.repeat(MAX_TEXT),
  'a\u0000b',
];
const WRONG = ['', 'x'.repeat(MAX_TEXT + 1), '😀'.repeat(MAX_TEXT + 1), 5, true, null, [], {}];

describe('the predict bodies (Fastify, Ajv) and their DTOs (class-validator)', () => {
  it('POST /v1/predict: accept and refuse the same bodies', () =>
    assertSchemaAgrees(PREDICT_TEXT_BODY, PredictDto, [
      ...TEXTS.map((text) => ({ text })),
      ...WRONG.map((text) => ({ text })),
      {},
      { text: 'a', extra: 1 },
      { Text: 'a' },
      [],
      ['a'],
      'a',
      7,
      { texts: ['a'] },
    ]));

  it('POST /v1/predict/batch: accept and refuse the same bodies', () =>
    assertSchemaAgrees(PREDICT_BATCH_BODY, PredictBatchDto, [
      { texts: TEXTS },
      ...WRONG.map((text) => ({ texts: ['a', text] })),
      { texts: [] },
      { texts: Array<string>(MAX_BATCH).fill('a') },
      { texts: Array<string>(MAX_BATCH + 1).fill('a') },
      { texts: 'a' },
      { texts: null },
      { texts: ['a'], extra: true },
      { text: 'a' },
      {},
      [{ texts: ['a'] }],
    ]));
});
