import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { WatchEvent, WatchResultRow } from '#database';
import type { NormalizedScanRequest } from '#jobs';
import { CreateScanDto, ScanRequestDto } from '../scans/scans.dto.js';

export const WATCH_EVENTS: readonly WatchEvent[] = ['enter', 'exit', 'signalChange'];
export const TOP_N_DEFAULT = 10;
export const TOP_N_MAX = 50;

@ApiSchema({
  name: 'WatchNotify',
  description: 'What a watch alerts on: changes within the first topN rows of its ranking',
})
export class WatchNotifyDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: TOP_N_MAX,
    default: TOP_N_DEFAULT,
    description:
      'How many of the ranking’s first rows the watch follows (at most the request’s maxSymbols rows exist)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TOP_N_MAX)
  topN?: number;

  @ApiPropertyOptional({
    enum: WATCH_EVENTS,
    enumName: 'WatchEvent',
    isArray: true,
    default: WATCH_EVENTS,
    description:
      'enter: a symbol entered the top N; exit: one left it; signalChange: one that stayed changed signal',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WATCH_EVENTS.length)
  @ArrayUnique()
  @IsIn(WATCH_EVENTS, { each: true })
  on?: WatchEvent[];
}

/** Body of POST /v1/watches. */
@ApiSchema({ name: 'CreateWatch', description: 'A scan to watch and what to be told about' })
export class CreateWatchDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Tech longs' })
  @IsDefined()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    type: CreateScanDto,
    description:
      'A POST /v1/scans body, validated the same way; `asOf` is refused (a watch follows the newest data)',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CreateScanDto)
  request!: CreateScanDto;

  @ApiPropertyOptional({ type: WatchNotifyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WatchNotifyDto)
  notify?: WatchNotifyDto;
}

/** Body of PATCH /v1/watches/{id}: any of the fields; a new request starts a new baseline. */
@ApiSchema({
  name: 'UpdateWatch',
  description: 'Fields to change; a new request resets the baseline',
})
export class UpdateWatchDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: CreateScanDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CreateScanDto)
  request?: CreateScanDto;

  @ApiPropertyOptional({ type: WatchNotifyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WatchNotifyDto)
  notify?: WatchNotifyDto;
}

@ApiSchema({ name: 'WatchResultRow', description: 'One row of a watch’s top N' })
export class WatchResultRowDto implements WatchResultRow {
  @ApiProperty({ example: 'AAPL' }) symbol!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) rank!: number;
  @ApiProperty({ example: 'Strong Long' }) signal!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 78.4 }) techRating!: number;
}

@ApiSchema({ name: 'WatchNotifySettings' })
export class WatchNotifySettingsDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: TOP_N_MAX }) topN!: number;
  @ApiProperty({ enum: WATCH_EVENTS, enumName: 'WatchEvent', isArray: true }) on!: WatchEvent[];
}

@ApiSchema({ name: 'Watch' })
export class WatchDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ScanRequestDto, description: 'The normalized request' })
  request!: NormalizedScanRequest;
  @ApiProperty({ type: WatchNotifySettingsDto }) notify!: WatchNotifySettingsDto;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Data version of the last evaluation; null until the first (the baseline)',
  })
  lastDataVersion!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastEvaluatedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiSchema({ name: 'WatchDetail', description: 'A watch with its last result' })
export class WatchDetailDto extends WatchDto {
  @ApiProperty({
    type: [WatchResultRowDto],
    nullable: true,
    description: 'The top N of the last evaluation, best first; null before the first',
  })
  lastResult!: WatchResultRow[] | null;
}

@ApiSchema({ name: 'WatchList' })
export class WatchListDto {
  @ApiProperty({ type: [WatchDto] }) data!: WatchDto[];
  @ApiProperty({ type: 'integer', description: 'WATCHES_PER_INSTALLATION: how many may exist' })
  limit!: number;
}
