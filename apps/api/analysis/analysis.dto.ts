import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PROFILE_NAMES } from '../scans/scans.dto.js';

export class AnalysisQuery {
  @ApiPropertyOptional({ example: '2018-02-07', description: 'Use bars on or before this date; default the latest' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ enum: PROFILE_NAMES, default: 'balanced' })
  @IsOptional()
  @IsIn(PROFILE_NAMES)
  profile?: (typeof PROFILE_NAMES)[number];
}
