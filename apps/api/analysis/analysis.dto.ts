import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PROFILE_NAMES, SCAN_DEFAULTS, type Profile } from '#scan-engine';

export class AnalysisQuery {
  @ApiPropertyOptional({
    example: '2018-02-07',
    description: 'Use bars on or before this date; default the latest',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ enum: PROFILE_NAMES, default: SCAN_DEFAULTS.profile })
  @IsOptional()
  @IsIn(PROFILE_NAMES)
  profile?: Profile;
}
