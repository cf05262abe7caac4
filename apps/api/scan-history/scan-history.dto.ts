import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ScanStatus } from '#database';
import { PageCursor, PageLimit } from '../http/field.decorators.js';
import type { NormalizedScanRequest } from '#jobs';
import { SCAN_STATUSES, ScanRequestDto } from '../scans/scans.dto.js';

export { SCAN_STATUSES };

export class ListScansQuery {
  @ApiPropertyOptional({
    enum: SCAN_STATUSES,
    enumName: 'ScanStatus',
    description: 'Only scans in this state',
  })
  @IsOptional()
  @IsIn(SCAN_STATUSES)
  status?: ScanStatus;

  @PageLimit({ max: 100, byDefault: 20 })
  limit?: number;

  @PageCursor()
  cursor?: string;
}

/** Counts of a completed scan's result, without its hits (GET /v1/scans/{id} has them). */
@ApiSchema({ name: 'ScanResultCounts' })
export class ScanResultCountsDto {
  @ApiProperty() statusText!: string;
  @ApiProperty({ description: 'True when nothing passed the filters and the best are shown' })
  relaxed!: boolean;
  @ApiProperty({ type: 'integer', example: 505 }) universeSize!: number;
  @ApiProperty({ type: 'integer', example: 505 }) symbolsScanned!: number;
  @ApiProperty({ type: 'integer', description: 'Hits stored for the scan', example: 25 })
  hits!: number;
  @ApiProperty({ type: 'integer', example: 1 }) dataVersion!: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2018-02-07' })
  asOf!: string | null;
}

@ApiSchema({ name: 'ScanSummary' })
export class ScanSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SCAN_STATUSES, enumName: 'ScanStatus' }) status!: ScanStatus;
  @ApiProperty({ type: ScanRequestDto, description: 'The normalized request' })
  request!: NormalizedScanRequest;
  @ApiProperty({ format: 'date-time', example: '2026-12-06T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: ScanResultCountsDto, nullable: true, description: 'Completed scans only' })
  result!: ScanResultCountsDto | null;
  @ApiPropertyOptional({ description: 'Failed scans only' }) error?: string;
}

@ApiSchema({ name: 'ScanSummaryPage' })
export class ScanSummaryPageDto {
  @ApiProperty({ type: [ScanSummaryDto] }) data!: ScanSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for older scans' })
  nextCursor!: string | null;
}
