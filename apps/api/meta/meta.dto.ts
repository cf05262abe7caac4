import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PROFILE_NAMES, type Profile } from '#scan-engine';

@ApiSchema({ name: 'DataInfo' })
export class DataInfoDto {
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2013-02-08' })
  firstBarDate!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2018-02-07' })
  lastBarDate!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Data version; scans record the one they ran on',
    example: 1,
  })
  version!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the newest version came from: embedded, polygon or synthetic',
    example: 'embedded',
  })
  source!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the data last changed (ISO 8601)',
    example: '2026-12-06T09:00:00.000Z',
  })
  refreshedAt!: string | null;
}

@ApiSchema({ name: 'Sector' })
export class SectorDto {
  @ApiProperty({ example: 'Information Technology' }) name!: string;
  @ApiProperty({ type: [String], description: 'Also accepted for this sector (case-insensitive)' })
  aliases!: string[];
  @ApiProperty({ type: 'integer', description: 'Active instruments in the sector', example: 68 })
  instruments!: number;
}

@ApiSchema({ name: 'ProfileThresholds' })
export class ProfileDto {
  @ApiProperty({ enum: PROFILE_NAMES, enumName: 'Profile' }) name!: Profile;
  @ApiProperty({ description: 'The profile a scan uses when it names none' }) default!: boolean;
  @ApiProperty({ description: 'Lowest last close, USD', example: 10 }) minPrice!: number;
  @ApiProperty({ description: 'Highest ATR 14 in percent of the close', example: 3.5 })
  maxAtrPct!: number;
  @ApiProperty({ description: 'Lowest 20-day average dollar volume, USD', example: 5e6 })
  minAvgDollarVolume!: number;
  @ApiProperty({ description: 'Lowest TechRating when the request names none', example: 55 })
  minTechRating!: number;
}

@ApiSchema({ name: 'SignalThresholds' })
export class SignalThresholdsDto {
  @ApiProperty({ description: 'TechRating ≥ this: Strong Long', example: 75 }) strongLong!: number;
  @ApiProperty({ description: 'TechRating ≥ this: Long', example: 60 }) long!: number;
  @ApiProperty({
    description: 'TechRating ≤ this: Short (between Short and Long: Avoid)',
    example: 40,
  })
  short!: number;
  @ApiProperty({ description: 'TechRating ≤ this: Strong Short', example: 25 })
  strongShort!: number;
}

@ApiSchema({ name: 'BucketLimit' })
export class BucketLimitDto {
  @ApiProperty({ example: 'scansCreate' }) bucket!: string;
  @ApiProperty({ type: 'integer', description: 'Requests allowed per window', example: 20 })
  limit!: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Left in the current window (null when the counters cannot be read)',
    example: 18,
  })
  remaining!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Seconds until the current window ends (null: no window open, the full limit is left)',
    example: 41,
  })
  resetSeconds!: number | null;
}

@ApiSchema({ name: 'Limits' })
export class LimitsDto {
  @ApiProperty({ type: 'integer', example: 60 }) windowSeconds!: number;
  @ApiProperty({ type: [BucketLimitDto] }) buckets!: BucketLimitDto[];
}

/** What a client needs around the scan: data range, sector picker, profiles, signals, limits. */
@ApiSchema({ name: 'Meta' })
export class MetaDto {
  @ApiProperty({ type: DataInfoDto }) data!: DataInfoDto;
  @ApiProperty({ type: [SectorDto] }) sectors!: SectorDto[];
  @ApiProperty({ type: [ProfileDto] }) profiles!: ProfileDto[];
  @ApiProperty({ type: SignalThresholdsDto }) signalThresholds!: SignalThresholdsDto;
  @ApiProperty({ type: LimitsDto }) limits!: LimitsDto;
}
