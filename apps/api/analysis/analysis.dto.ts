import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  DIRECTIONS,
  FILTER_NAMES,
  PROFILE_NAMES,
  RISK_PCT_RANGE,
  SCAN_DEFAULTS,
  type Direction,
  type FilterName,
  type Profile,
} from '#scan-engine';
import { ScanHitDto } from '../scans/scans.dto.js';

/** The query of GET /v1/items/{symbol}/analysis: the scan's terms for one symbol. */
export class AnalysisQuery {
  @ApiPropertyOptional({
    example: '2018-02-07',
    description:
      'Use bars on or before this date (a weekend or holiday means the trading day before); default the latest. Outside the data: 422',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ enum: PROFILE_NAMES, default: SCAN_DEFAULTS.profile })
  @IsOptional()
  @IsIn(PROFILE_NAMES)
  profile?: Profile;

  @ApiPropertyOptional({
    enum: DIRECTIONS,
    default: SCAN_DEFAULTS.direction,
    description:
      'The side a scan would look for; failedFilters says whether it would list the symbol',
  })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: Direction;

  @ApiPropertyOptional({ default: SCAN_DEFAULTS.accountSize, minimum: 100, maximum: 1e9 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(100)
  @Max(1e9)
  accountSize?: number;

  @ApiPropertyOptional({
    default: SCAN_DEFAULTS.riskPct,
    minimum: RISK_PCT_RANGE.min,
    maximum: RISK_PCT_RANGE.max,
    description: 'Percent of the account risked per trade',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(RISK_PCT_RANGE.min)
  @Max(RISK_PCT_RANGE.max)
  riskPct?: number;

  @ApiPropertyOptional({ default: SCAN_DEFAULTS.targetRR, minimum: 0.1, maximum: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(20)
  targetRR?: number;
}

/** One symbol's analysis: a ScanHit without a rank, with the dates and the filters it meets. */
export class AnalysisDto extends OmitType(ScanHitDto, ['rank', 'failedFilters'] as const) {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The asOf the request named, or null (the latest bar)',
  })
  asOfRequested!: string | null;

  @ApiProperty({
    enum: FILTER_NAMES,
    isArray: true,
    description:
      "The profile's and direction's filters the symbol does not meet; empty when a scan would list it",
  })
  failedFilters!: FilterName[];
}
