import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ScanHit } from '#jobs';
import {
  FILTER_NAMES,
  type FilterName,
  type Indicators,
  type Subscores,
  type TradePlan,
} from '#scan-engine';

/** The signal names, strongest long first; a rating maps to one (see TechRating). */
export const SIGNALS: readonly ScanHit['signal'][] = [
  'Strong Long',
  'Long',
  'Avoid',
  'Short',
  'Strong Short',
];

const SUBSCORE = { minimum: -1, maximum: 1 } as const;

/** The six components of the TechRating (DESIGN §5), each in [-1, 1], positive = bullish. */
@ApiSchema({
  name: 'Subscores',
  description:
    'The six components of the TechRating, each from -1 (bearish) to 1 (bullish), weighted 3/3/2/1/1/1',
})
export class SubscoresDto implements Subscores {
  @ApiProperty({
    ...SUBSCORE,
    example: 0.8,
    description: 'Close against SMA 50/200, their order, ADX direction (weight 3)',
  })
  trend!: number;
  @ApiProperty({
    ...SUBSCORE,
    example: 0.4,
    description: '1, 3 and 6-month returns against volatility, MACD histogram (weight 3)',
  })
  momentum!: number;
  @ApiProperty({
    ...SUBSCORE,
    example: 0.1,
    description: "Volume on up against down days, today's spike (weight 2)",
  })
  volume!: number;
  @ApiProperty({
    ...SUBSCORE,
    example: 0.2,
    description: 'Low and contracting ATR % is positive (weight 1)',
  })
  volatility!: number;
  @ApiProperty({
    ...SUBSCORE,
    example: -0.1,
    description: 'RSI 14 and Bollinger %B, fading when stretched (weight 1)',
  })
  oscillator!: number;
  @ApiProperty({
    ...SUBSCORE,
    example: 0.5,
    description: 'Near the 52-week high, position in the 20-day channel (weight 1)',
  })
  breakout!: number;
}

/** Indicator values at the last bar used; prices in USD, percentages as 2.5 = 2.5 %. */
@ApiSchema({
  name: 'Indicators',
  description: 'Indicator values at the last bar the analysis used',
})
export class IndicatorsDto implements Indicators {
  @ApiProperty({ example: 159.54, description: 'Last close, USD' }) close!: number;
  @ApiProperty({ example: 165.1, description: 'Simple moving average, 20 bars, USD' })
  sma20!: number;
  @ApiProperty({ example: 170.2, description: 'Simple moving average, 50 bars, USD' })
  sma50!: number;
  @ApiProperty({ example: 160.3, description: 'Simple moving average, 200 bars, USD' })
  sma200!: number;
  @ApiProperty({ example: 38.2, minimum: 0, maximum: 100, description: 'RSI 14 (Wilder)' })
  rsi14!: number;
  @ApiProperty({ example: -0.9, description: 'MACD 12/26/9 histogram, USD' }) macdHist!: number;
  @ApiProperty({ example: 2.4, description: 'ATR 14 (Wilder) in percent of the close' })
  atrPct!: number;
  @ApiProperty({ example: 21.5, minimum: 0, maximum: 100, description: 'ADX 14' }) adx14!: number;
  @ApiProperty({ example: -6.1, description: '20-bar rate of change, percent' }) roc20!: number;
  @ApiProperty({
    example: -11.2,
    maximum: 0,
    description: 'Percent below the highest high of the last 252 bars (≤ 0)',
  })
  dist52wHigh!: number;
  @ApiProperty({ example: 8.1e9, description: 'Mean of close × volume over 20 bars, USD' })
  avgDollarVolume20!: number;
}

/** A trade plan sized by risk, on the side of the signal. */
@ApiSchema({
  name: 'Plan',
  description: 'A trade plan sized by risk; prices in USD, rounded to cents',
})
export class PlanDto implements TradePlan {
  @ApiProperty({ enum: ['long', 'short'], enumName: 'PlanSide' }) side!: TradePlan['side'];
  @ApiProperty({ example: 159.54, description: 'The last close' }) entry!: number;
  @ApiProperty({
    example: 151.9,
    description: 'entry ∓ 2·ATR: below the entry for long, above for short',
  })
  stop!: number;
  @ApiProperty({
    example: 174.82,
    description: 'entry ± targetRR·|entry − stop|: above the entry for long, below for short',
  })
  target!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    example: 13,
    description:
      'floor(accountSize·riskPct % / |entry − stop|), never more than accountSize / entry',
  })
  shares!: number;
  @ApiProperty({
    description: 'true when the risk budget asked for more shares than the account buys',
  })
  capped!: boolean;
  @ApiPropertyOptional({ description: 'Why there are no shares; present exactly when shares is 0' })
  reason?: string;
}

/** One ranked symbol of a scan. */
@ApiSchema({ name: 'ScanHit', description: 'One ranked symbol of a scan' })
export class ScanHitDto implements ScanHit {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1,
    description: '1 = best in the direction',
  })
  rank!: number;
  @ApiProperty({ example: 'AAPL' }) symbol!: string;
  @ApiProperty({ example: 'Apple Inc.' }) name!: string;
  @ApiProperty({ example: 'Information Technology' }) sector!: string;
  @ApiProperty({
    enum: SIGNALS,
    enumName: 'Signal',
    description:
      'From the TechRating: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, otherwise Avoid',
  })
  signal!: ScanHit['signal'];
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    example: 71.4,
    description:
      'The weighted subscores mapped to 0..100: 50 is neutral, higher is more bullish, lower more bearish',
  })
  techRating!: number;
  @ApiProperty({ type: SubscoresDto }) subscores!: SubscoresDto;
  @ApiProperty({ type: IndicatorsDto }) indicators!: IndicatorsDto;
  @ApiProperty({
    type: PlanDto,
    nullable: true,
    description: 'On the side of the signal; null for Avoid (the rationale says why)',
  })
  plan!: PlanDto | null;
  @ApiProperty({ description: 'Why the rating is what it is, in one sentence' }) rationale!: string;
  @ApiProperty({
    format: 'date',
    example: '2018-02-07',
    description: 'The last bar the analysis used, YYYY-MM-DD',
  })
  asOf!: string;
  @ApiPropertyOptional({
    enum: FILTER_NAMES,
    enumName: 'FilterName',
    isArray: true,
    description: 'Only on the hits of a relaxed result: the filters this hit did not meet',
  })
  failedFilters?: FilterName[];
}
