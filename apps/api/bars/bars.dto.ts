import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { BarInterval } from './bars.repository.js';

export const BAR_INTERVALS: readonly BarInterval[] = ['day', 'week', 'month'];
/** Ten years of daily bars: a chart never needs more in one response. */
export const MAX_BARS = 2520;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class BarsQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'First day included, YYYY-MM-DD',
    example: '2016-01-04',
  })
  @IsOptional()
  @Matches(DATE, { message: '$property must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Last day included, YYYY-MM-DD',
    example: '2018-02-07',
  })
  @IsOptional()
  @Matches(DATE, { message: '$property must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: BAR_INTERVALS, enumName: 'BarInterval', default: 'day' })
  @IsOptional()
  @IsIn(BAR_INTERVALS)
  interval?: BarInterval;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'At most this many points, the newest of the range',
    minimum: 1,
    maximum: MAX_BARS,
    default: MAX_BARS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_BARS)
  limit?: number;
}

/** OHLCV as parallel columns, oldest first: point i is (t[i], o[i], h[i], l[i], c[i], v[i]). */
@ApiSchema({ name: 'Bars' })
export class BarsDto {
  @ApiProperty({ example: 'AAPL' }) symbol!: string;
  @ApiProperty({ enum: BAR_INTERVALS, enumName: 'BarInterval' }) interval!: BarInterval;
  @ApiProperty({
    type: [String],
    format: 'date',
    description: 'Trading day (a period: its first trading day), YYYY-MM-DD',
    example: ['2018-02-06', '2018-02-07'],
  })
  t!: string[];
  @ApiProperty({ type: [Number], description: 'Open, USD' }) o!: number[];
  @ApiProperty({ type: [Number], description: 'High, USD' }) h!: number[];
  @ApiProperty({ type: [Number], description: 'Low, USD' }) l!: number[];
  @ApiProperty({ type: [Number], description: 'Close, USD' }) c!: number[];
  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    description: 'Shares traded',
    example: [31211560, 31566670],
  })
  v!: number[];
}
