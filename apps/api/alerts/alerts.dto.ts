import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ALERT_KINDS, type AlertKind } from '#database';
import { PageCursor, PageLimit } from '../http/field.decorators.js';
import { WatchResultRowDto } from '../watches/watches.dto.js';

export class ListAlertsQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-07T00:00:00Z',
    description: 'Only alerts recorded at or after this instant (ISO 8601 with a time zone)',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d\d:?\d\d)$/, { message: 'since must name its time zone (Z or ±hh:mm)' })
  since?: string;

  @PageLimit({ max: 200, byDefault: 50 })
  limit?: number;

  @PageCursor()
  cursor?: string;
}

@ApiSchema({
  name: 'Alert',
  description: 'One change a watch saw when a new data version came in',
})
export class AlertDto {
  @ApiProperty({
    example: '1042',
    description: 'Increasing id (a string: it is a 64-bit integer); alerts are listed by it',
  })
  id!: string;
  @ApiProperty({ format: 'uuid' }) watchId!: string;
  @ApiProperty({ example: 'Tech longs' }) watchName!: string;
  @ApiProperty({ type: 'integer', example: 7 }) dataVersion!: number;
  @ApiProperty({
    enum: ALERT_KINDS,
    enumName: 'AlertKind',
    description:
      'entered: the symbol entered the top N (before null); exited: it left (after null); signalChanged: it stayed with another signal',
  })
  kind!: AlertKind;
  @ApiProperty({ example: 'NVDA' }) symbol!: string;
  @ApiProperty({ type: WatchResultRowDto, nullable: true, description: 'Its row before' })
  before!: WatchResultRowDto | null;
  @ApiProperty({ type: WatchResultRowDto, nullable: true, description: 'Its row now' })
  after!: WatchResultRowDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

@ApiSchema({ name: 'AlertPage' })
export class AlertPageDto {
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) data!: AlertDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for older alerts' })
  nextCursor!: string | null;
}
