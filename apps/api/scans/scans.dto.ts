import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { ScanHit, ScanMetrics, ScanProgress } from '#jobs';
import {
  FILTER_NAMES,
  PROFILE_NAMES,
  PROFILES,
  SCAN_DEFAULTS,
  type Direction,
  type FilterName,
  type Indicators,
  type Profile,
  type Subscores,
  type TradePlan,
} from '#scan-engine';
import {
  AccountSizeTerm,
  AsOfTerm,
  DirectionTerm,
  ProfileTerm,
  RiskPctTerm,
  TargetRRTerm,
} from './scan-terms.decorators.js';

/** "65 / 55 / 45": each profile's default minimum rating, in the order of PROFILE_NAMES. */
const PROFILE_MIN_RATINGS = PROFILE_NAMES.map((name) => PROFILES[name].minTechRating).join(' / ');

/** Body of POST /v1/scans and of the WebSocket `scan` message; every field is optional. */
export class CreateScanDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['technology'],
    description: 'GICS sectors or aliases; default all',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  sectors?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['AAPL', 'MSFT'],
    description: 'Restrict the universe (a watchlist), ≤ 500',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(10, { each: true })
  symbols?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: SCAN_DEFAULTS.maxSymbols })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  maxSymbols?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: `Default: the profile's (${PROFILE_MIN_RATINGS})`,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minTechRating?: number;

  @ProfileTerm()
  profile?: Profile;

  @DirectionTerm(
    'long: strongest ratings first, Long/Strong Long only; short: weakest first, Short/Strong Short only; both: farthest from neutral 50 first',
  )
  direction?: Direction;

  @AsOfTerm({
    example: '2016-06-30',
    description:
      'Point-in-time scan: bars on or before this date. A weekend or holiday means the trading day before; a date outside the data is a 422',
  })
  asOf?: string;

  @AccountSizeTerm('body')
  accountSize?: number;

  @RiskPctTerm('body')
  riskPct?: number;

  @TargetRRTerm('body', 'Target reward-to-risk ratio')
  targetRR?: number;
}

export class WaitQuery {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 30,
    description: 'Hold the response until the scan completes or this many seconds pass',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(30)
  wait?: number;
}

class ScanProgressDto implements Omit<ScanProgress, 'partial'> {
  @ApiProperty({ enum: ['loading', 'fetching', 'scanning', 'finalizing'] })
  stage!: ScanProgress['stage'];
  @ApiProperty({ example: 62.5 }) percent!: number;
  @ApiProperty() symbolsScanned!: number;
  @ApiProperty() universeSize!: number;
  @ApiProperty({ type: Number, nullable: true }) etaSeconds!: number | null;
}

class TradePlanDto implements TradePlan {
  @ApiProperty({ enum: ['long', 'short'] }) side!: TradePlan['side'];
  @ApiProperty({ example: 159.54 }) entry!: number;
  @ApiProperty({ example: 151.9, description: 'Below the entry for long, above for short' })
  stop!: number;
  @ApiProperty({ example: 174.82, description: 'Above the entry for long, below for short' })
  target!: number;
  @ApiProperty({ example: 13, description: 'Never more than accountSize / entry' })
  shares!: number;
  @ApiProperty({
    description: 'true when the risk budget asked for more shares than the account buys',
  })
  capped!: boolean;
  @ApiPropertyOptional({ description: 'Why there are no shares; present exactly when shares is 0' })
  reason?: string;
}

export class ScanHitDto implements ScanHit {
  @ApiProperty() rank!: number;
  @ApiProperty() symbol!: string;
  @ApiProperty() name!: string;
  @ApiProperty() sector!: string;
  @ApiProperty({ enum: ['Strong Long', 'Long', 'Avoid', 'Short', 'Strong Short'] })
  signal!: ScanHit['signal'];
  @ApiProperty({ minimum: 0, maximum: 100 }) techRating!: number;
  @ApiProperty({
    example: {
      trend: 0.8,
      momentum: 0.4,
      volume: 0.1,
      volatility: 0.2,
      oscillator: -0.1,
      breakout: 0.5,
    },
  })
  subscores!: Subscores;
  @ApiProperty({
    example: {
      close: 159.54,
      sma20: 165.1,
      sma50: 170.2,
      sma200: 160.3,
      rsi14: 38.2,
      macdHist: -0.9,
      atrPct: 2.4,
      adx14: 21.5,
      roc20: -6.1,
      dist52wHigh: -11.2,
      avgDollarVolume20: 8.1e9,
    },
  })
  indicators!: Indicators;
  @ApiProperty({
    type: TradePlanDto,
    nullable: true,
    description: 'On the side of the signal; null for Avoid (the rationale says why)',
  })
  plan!: TradePlan | null;
  @ApiProperty() rationale!: string;
  @ApiProperty({ example: '2018-02-07' }) asOf!: string;
  @ApiPropertyOptional({
    enum: FILTER_NAMES,
    isArray: true,
    description: 'Only on the hits of a relaxed result: the filters this hit did not meet',
  })
  failedFilters?: FilterName[];
}

class ScanResultDto {
  @ApiProperty() statusText!: string;
  @ApiProperty({
    description:
      "true when no symbol passed the filters and the top 10 in the direction's order are shown instead, each with its failedFilters",
  })
  relaxed!: boolean;
  @ApiProperty() universeSize!: number;
  @ApiProperty() symbolsScanned!: number;
  @ApiProperty() dataVersion!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last trading day the scan used (on or before asOfRequested)',
  })
  asOf!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The asOf the request named, or null (the latest bar)',
  })
  asOfRequested!: string | null;
  @ApiProperty({ type: [ScanHitDto] }) results!: ScanHitDto[];
  @ApiProperty({ example: { totalMs: 21.3, computeMs: 4.1, symbolsPerSecond: 123000 } })
  metrics!: ScanMetrics;
}

/** The Scan resource (DESIGN §3). */
export class ScanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty() cached!: boolean;
  @ApiProperty({ type: CreateScanDto }) request!: Record<string, unknown>;
  @ApiProperty({ type: ScanProgressDto }) progress!: ScanProgressDto;
  @ApiPropertyOptional({ type: ScanResultDto }) result?: ScanResultDto;
  @ApiPropertyOptional() error?: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
}
