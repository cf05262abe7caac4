import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';

export const MAX_TEXT = 2000;
export const MAX_BATCH = 256;
const SENTIMENT_LABELS = ['bullish', 'bearish', 'neutral'];

@ApiSchema({ name: 'PredictText' })
export class PredictDto {
  @ApiProperty({
    example: '$AAPL beats estimates and raises guidance',
    minLength: 1,
    maxLength: MAX_TEXT,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  text!: string;
}

@ApiSchema({ name: 'PredictBatch' })
export class PredictBatchDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_BATCH,
    example: ['$XYZ shares plunge after the company cuts its outlook'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  texts!: string[];
}

@ApiSchema({ name: 'SentimentScores' })
class ScoresDto {
  @ApiProperty() bullish!: number;
  @ApiProperty() bearish!: number;
  @ApiProperty() neutral!: number;
}

@ApiSchema({ name: 'Prediction' })
export class PredictionDto {
  @ApiProperty({ enum: SENTIMENT_LABELS, enumName: 'SentimentLabel' }) label!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
  @ApiProperty({ type: ScoresDto }) scores!: ScoresDto;
  @ApiProperty() modelVersion!: string;
}

@ApiSchema({ name: 'BatchPrediction' })
class BatchItemDto {
  @ApiProperty({ enum: SENTIMENT_LABELS, enumName: 'SentimentLabel' }) label!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
  @ApiProperty({ type: ScoresDto }) scores!: ScoresDto;
}

@ApiSchema({ name: 'PredictionBatch' })
export class PredictionBatchDto {
  @ApiProperty({ type: [BatchItemDto], description: 'In input order' }) results!: BatchItemDto[];
  @ApiProperty() modelVersion!: string;
}

@ApiSchema({ name: 'ModelMetrics' })
class ModelMetricsDto {
  @ApiProperty() accuracy!: number;
  @ApiProperty() macroF1!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) samples!: number;
}

@ApiSchema({ name: 'ModelInfo' })
export class ModelInfoDto {
  @ApiProperty() loaded!: boolean;
  @ApiProperty({ type: String, nullable: true }) version!: string | null;
  @ApiProperty({ type: String, nullable: true }) algorithm!: string | null;
  @ApiProperty({ type: [String] }) classes!: string[];
  @ApiProperty({ type: String, nullable: true }) trainedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) dataset!: string | null;
  @ApiProperty({ type: ModelMetricsDto, nullable: true }) metrics!: ModelMetricsDto | null;
}
