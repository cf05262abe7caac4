import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
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
import type { ScanStatus } from '#database';
import type { NormalizedScanRequest, ScanMetrics, ScanProgress } from '#jobs';
import {
  DIRECTIONS,
  PROFILE_NAMES,
  PROFILES,
  SCAN_DEFAULTS,
  type Direction,
  type Profile,
} from '#scan-engine';
import { ScanHitDto } from './scan-hit.dto.js';
import { SCAN_BODY_LIMITS, WAIT_RANGE } from './scans.schema.js';

// The hit lives in its own file (this one would pass 300 lines); its old importers keep working.
export { ScanHitDto };
import {
  AccountSizeTerm,
  AsOfTerm,
  DirectionTerm,
  ProfileTerm,
  RiskPctTerm,
  TargetRRTerm,
} from './scan-terms.decorators.js';

export const SCAN_STATUSES: readonly ScanStatus[] = ['queued', 'running', 'completed', 'failed'];
const SCAN_STAGES: readonly ScanProgress['stage'][] = [
  'loading',
  'fetching',
  'scanning',
  'finalizing',
];

/** "65 / 55 / 45": each profile's default minimum rating, in the order of PROFILE_NAMES. */
const PROFILE_MIN_RATINGS = PROFILE_NAMES.map((name) => PROFILES[name].minTechRating).join(' / ');

/** Body of POST /v1/scans and of the WebSocket `scan` message; every field is optional. */
@ApiSchema({
  name: 'CreateScan',
  description:
    'Body of POST /v1/scans and the request of the WebSocket scan message; every field is optional',
})
export class CreateScanDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['technology'],
    description: 'GICS sectors or aliases; default all',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCAN_BODY_LIMITS.sectors.items)
  @IsString({ each: true })
  @MaxLength(SCAN_BODY_LIMITS.sectors.length, { each: true })
  sectors?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['AAPL', 'MSFT'],
    description: 'Restrict the universe (a watchlist), ≤ 500',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCAN_BODY_LIMITS.symbols.items)
  @IsString({ each: true })
  @MaxLength(SCAN_BODY_LIMITS.symbols.length, { each: true })
  symbols?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: SCAN_BODY_LIMITS.maxSymbols.min,
    maximum: SCAN_BODY_LIMITS.maxSymbols.max,
    default: SCAN_DEFAULTS.maxSymbols,
    description: 'How many ranked results to return',
  })
  @IsOptional()
  @IsInt()
  @Min(SCAN_BODY_LIMITS.maxSymbols.min)
  @Max(SCAN_BODY_LIMITS.maxSymbols.max)
  maxSymbols?: number;

  @ApiPropertyOptional({
    minimum: SCAN_BODY_LIMITS.minTechRating.min,
    maximum: SCAN_BODY_LIMITS.minTechRating.max,
    description: `Default: the profile's (${PROFILE_MIN_RATINGS})`,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCAN_BODY_LIMITS.minTechRating.min)
  @Max(SCAN_BODY_LIMITS.minTechRating.max)
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

/**
 * POST /v1/scans's query: its OpenAPI description, and the rules that word the 400 of a refusal;
 * the route is validated by its JSON schema (WAIT_QUERY, scans.schema.ts), checked to agree.
 */
export class WaitQuery {
  @ApiPropertyOptional({
    minimum: WAIT_RANGE.min,
    maximum: WAIT_RANGE.max,
    type: 'number',
    description: 'Hold the response until the scan completes or this many seconds pass',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(WAIT_RANGE.min)
  @Max(WAIT_RANGE.max)
  wait?: number;
}

@ApiSchema({
  name: 'ScanProgress',
  description:
    'Where a scan is: stages loading (5 %), fetching (20 %), scanning (70 %), finalizing (5 %); a completed scan shows finalizing 100 %',
})
export class ScanProgressDto implements Omit<ScanProgress, 'partial'> {
  @ApiProperty({ enum: SCAN_STAGES, enumName: 'ScanStage' })
  stage!: ScanProgress['stage'];
  @ApiProperty({ minimum: 0, maximum: 100, example: 62.5 }) percent!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 310 }) symbolsScanned!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 505 }) universeSize!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    description: 'Estimated seconds left; null until there is enough progress to estimate',
  })
  etaSeconds!: number | null;
}

/**
 * The request as the scan ran it: defaults filled in, sectors resolved, lists sorted. `sectors`,
 * `symbols` and `asOf` are null for "all" and "the latest bar" (docs/decisions.md, issue 12).
 */
@ApiSchema({
  name: 'ScanRequest',
  description: 'The request as the scan runs it: defaults filled, sectors resolved, lists sorted',
})
export class ScanRequestDto implements NormalizedScanRequest {
  @ApiProperty({
    type: [String],
    nullable: true,
    example: null,
    description: 'GICS sector names; null: every sector',
  })
  sectors!: string[] | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: null,
    description: 'Symbols, upper-cased; null: every active item',
  })
  symbols!: string[] | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 500, example: 25 }) maxSymbols!: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 55 }) minTechRating!: number;
  @ApiProperty({ enum: PROFILE_NAMES, enumName: 'Profile' }) profile!: Profile;
  @ApiProperty({ enum: DIRECTIONS, enumName: 'Direction' }) direction!: Direction;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: null,
    description: 'The trading day the scan uses, YYYY-MM-DD; null: the latest bar',
  })
  asOf!: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: null,
    description: 'The date as the client sent it; null when it sent none',
  })
  asOfRequested!: string | null;
  @ApiProperty({ example: 10000, description: 'USD' }) accountSize!: number;
  @ApiProperty({ example: 1, description: 'Percent of the account risked per trade' })
  riskPct!: number;
  @ApiProperty({ example: 2 }) targetRR!: number;
}

@ApiSchema({ name: 'ScanMetrics', description: 'How long the scan took' })
export class ScanMetricsDto implements ScanMetrics {
  @ApiProperty({ example: 21.3, description: 'From taking the job to writing the results, ms' })
  totalMs!: number;
  @ApiProperty({ example: 4.1, description: 'Inside the engine alone, ms' }) computeMs!: number;
  @ApiProperty({ example: 123000 }) symbolsPerSecond!: number;
  @ApiProperty({ description: "Whether the bars came from the worker's in-memory cache" })
  barCacheHit!: boolean;
}

@ApiSchema({ name: 'ScanResult', description: 'The outcome of a completed scan' })
export class ScanResultDto {
  @ApiProperty({ example: '25 of 505 symbols match the balanced long filters' })
  statusText!: string;
  @ApiProperty({
    description:
      "true when no symbol passed the filters and the top 10 in the direction's order are shown instead, each with its failedFilters",
  })
  relaxed!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, example: 505 }) universeSize!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 505 }) symbolsScanned!: number;
  @ApiProperty({ type: 'integer', example: 1 }) dataVersion!: number;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The last trading day the scan used (on or before asOfRequested)',
  })
  asOf!: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The asOf the request named, or null (the latest bar)',
  })
  asOfRequested!: string | null;
  @ApiProperty({ type: [ScanHitDto] }) results!: ScanHitDto[];
  @ApiProperty({ type: ScanMetricsDto }) metrics!: ScanMetrics;
}

/** The Scan resource (DESIGN §3). */
@ApiSchema({
  name: 'Scan',
  description: 'A scan run: its request, progress and, once completed, its result',
})
export class ScanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SCAN_STATUSES, enumName: 'ScanStatus' }) status!: string;
  @ApiProperty({ description: 'true when answered from the cache of an identical earlier scan' })
  cached!: boolean;
  @ApiProperty({ type: ScanRequestDto }) request!: NormalizedScanRequest;
  @ApiProperty({ type: ScanProgressDto }) progress!: ScanProgressDto;
  @ApiPropertyOptional({ type: ScanResultDto, description: 'Completed scans only' })
  result?: ScanResultDto;
  @ApiPropertyOptional({ description: 'Failed scans only: why' }) error?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
}
