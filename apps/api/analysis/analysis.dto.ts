import { ApiProperty, ApiSchema, OmitType } from '@nestjs/swagger';
import { FILTER_NAMES, type Direction, type FilterName, type Profile } from '#scan-engine';
import {
  AccountSizeTerm,
  AsOfTerm,
  DirectionTerm,
  ProfileTerm,
  RiskPctTerm,
  TargetRRTerm,
} from '../scans/scan-terms.decorators.js';
import { ScanHitDto } from '../scans/scan-hit.dto.js';

/** The query of GET /v1/items/{symbol}/analysis: the scan's terms for one symbol. */
export class AnalysisQuery {
  @AsOfTerm({
    example: '2018-02-07',
    description:
      'Use bars on or before this date (a weekend or holiday means the trading day before); default the latest. Outside the data: 422',
  })
  asOf?: string;

  @ProfileTerm()
  profile?: Profile;

  @DirectionTerm(
    'The side a scan would look for; failedFilters says whether it would list the symbol',
  )
  direction?: Direction;

  @AccountSizeTerm('query')
  accountSize?: number;

  @RiskPctTerm('query')
  riskPct?: number;

  @TargetRRTerm('query')
  targetRR?: number;
}

/** One symbol's analysis: a ScanHit without a rank, with the dates and the filters it meets. */
@ApiSchema({ name: 'Analysis' })
export class AnalysisDto extends OmitType(ScanHitDto, ['rank', 'failedFilters'] as const) {
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The asOf the request named, or null (the latest bar)',
  })
  asOfRequested!: string | null;

  @ApiProperty({
    enum: FILTER_NAMES,
    enumName: 'FilterName',
    isArray: true,
    description:
      "The profile's and direction's filters the symbol does not meet; empty when a scan would list it",
  })
  failedFilters!: FilterName[];
}
