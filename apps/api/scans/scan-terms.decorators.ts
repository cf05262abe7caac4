import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DIRECTIONS, PROFILE_NAMES, RISK_PCT_RANGE, SCAN_DEFAULTS } from '#scan-engine';
import { stack } from '../http/field.decorators.js';

/**
 * The terms a scan and an analysis share (POST /v1/scans, GET /v1/items/{symbol}/analysis): their
 * rules and ranges, declared once; each DTO still declares the field, so its place in the OpenAPI
 * document and in a 400's messages stays its own.
 *
 * `source` says where the value arrives: a query string is text, converted to a number before the
 * checks; a JSON body is not converted, so `"accountSize": "1000"` stays invalid there.
 */
type Source = 'query' | 'body';

const FINITE = { allowNaN: false, allowInfinity: false };

/** An optional finite number from `min` to `max`, documented by `doc`. */
const NumberTerm = (source: Source, doc: object, min: number, max: number) =>
  stack(
    ApiPropertyOptional(doc),
    IsOptional(),
    ...(source === 'query' ? [Type(() => Number)] : []),
    IsNumber(FINITE),
    Min(min),
    Max(max),
  );

export const ProfileTerm = () =>
  stack(
    ApiPropertyOptional({ enum: PROFILE_NAMES, default: SCAN_DEFAULTS.profile }),
    IsOptional(),
    IsIn(PROFILE_NAMES),
  );

/** `description` says what the direction does for this route. */
export const DirectionTerm = (description: string) =>
  stack(
    ApiPropertyOptional({ enum: DIRECTIONS, default: SCAN_DEFAULTS.direction, description }),
    IsOptional(),
    IsIn(DIRECTIONS),
  );

/** A date YYYY-MM-DD: the bars on or before it. */
export const AsOfTerm = (doc: { example: string; description: string }) =>
  stack(
    ApiPropertyOptional({ format: 'date', ...doc }),
    IsOptional(),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' }),
  );

/** The account size a plan may assume, USD; the body's JSON schema (scans.schema.ts) says the same. */
export const ACCOUNT_SIZE_RANGE = Object.freeze({ min: 100, max: 1e9 });
/** The target reward-to-risk ratio's range. */
export const TARGET_RR_RANGE = Object.freeze({ min: 0.1, max: 20 });

export const AccountSizeTerm = (source: Source) =>
  NumberTerm(
    source,
    {
      default: SCAN_DEFAULTS.accountSize,
      minimum: ACCOUNT_SIZE_RANGE.min,
      maximum: ACCOUNT_SIZE_RANGE.max,
    },
    ACCOUNT_SIZE_RANGE.min,
    ACCOUNT_SIZE_RANGE.max,
  );

export const RiskPctTerm = (source: Source) =>
  NumberTerm(
    source,
    {
      default: SCAN_DEFAULTS.riskPct,
      minimum: RISK_PCT_RANGE.min,
      maximum: RISK_PCT_RANGE.max,
      description: 'Percent of the account risked per trade',
    },
    RISK_PCT_RANGE.min,
    RISK_PCT_RANGE.max,
  );

/** `description`: the body's documentation has one, the analysis query's none. */
export const TargetRRTerm = (source: Source, description?: string) =>
  NumberTerm(
    source,
    {
      default: SCAN_DEFAULTS.targetRR,
      minimum: TARGET_RR_RANGE.min,
      maximum: TARGET_RR_RANGE.max,
      ...(description === undefined ? {} : { description }),
    },
    TARGET_RR_RANGE.min,
    TARGET_RR_RANGE.max,
  );
