import 'reflect-metadata';
import { describe, it } from 'node:test';
import { assertQuerySchemaAgrees } from '../http/schema-agreement.fakes.js';
import { AnalysisQuery } from './analysis.dto.js';
import { ANALYSIS_QUERY } from './analysis.schema.js';

/** Queries on both sides of every rule of GET /v1/items/{symbol}/analysis, and client mistakes. */
const QUERIES = [
  '',
  'asOf=2018-02-07',
  'asOf=2018-2-7',
  'asOf=',
  'asOf=2018-02-07&asOf=2018-02-06',
  'profile=balanced',
  'profile=aggressive',
  'profile=Balanced',
  'profile=',
  'direction=long',
  'direction=short',
  'direction=both',
  'direction=up',
  'accountSize=100',
  'accountSize=99.99',
  'accountSize=1000000000',
  'accountSize=1000000001',
  'accountSize=25000.5',
  'accountSize=abc',
  'accountSize=',
  'accountSize=Infinity',
  'accountSize=1e400',
  'accountSize=NaN',
  'accountSize=1e4',
  'accountSize=1000&accountSize=2000',
  'riskPct=1',
  'riskPct=0',
  'riskPct=0.1',
  'riskPct=100',
  'riskPct=-1',
  'targetRR=0.1',
  'targetRR=0.09',
  'targetRR=20',
  'targetRR=20.01',
  'targetRR=',
  'unknown=1',
  'asOf=2018-02-07&profile=conservative&direction=both&accountSize=5000&riskPct=2&targetRR=3',
];

describe('ANALYSIS_QUERY (Fastify, Ajv) and AnalysisQuery (class-validator)', () => {
  it('accept and refuse the same queries', () =>
    assertQuerySchemaAgrees(ANALYSIS_QUERY, AnalysisQuery, QUERIES));
});
