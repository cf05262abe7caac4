import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import {
  ModelInfoDto,
  PredictBatchDto,
  PredictDto,
  PredictionBatchDto,
  PredictionDto,
} from './predict.dto.js';
import { PredictService } from './predict.service.js';

@ApiTags('predict')
@Controller('v1')
export class PredictController {
  constructor(private readonly predictor: PredictService) {}

  @Post('predict')
  @HttpCode(200)
  @RequireScope('predict')
  @RateLimit('predict')
  @ApiOperation({ summary: 'Sentiment of one finance text (1..2000 characters)' })
  @ApiOkResponse({ type: PredictionDto })
  @ApiProblems(400, 403, 413)
  predict(@Body() body: PredictDto): PredictionDto {
    return this.predictor.predict(body.text);
  }

  @Post('predict/batch')
  @HttpCode(200)
  @RequireScope('predict')
  @RateLimit('predict')
  @ApiOperation({ summary: 'Sentiment of 1..256 texts, results in input order' })
  @ApiOkResponse({ type: PredictionBatchDto })
  @ApiProblems(400, 403, 413)
  predictBatch(@Body() body: PredictBatchDto): Promise<PredictionBatchDto> {
    return this.predictor.predictBatch(body.texts);
  }

  @Get('model/info')
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    summary: 'The loaded sentiment model: version, algorithm, classes, validation metrics',
  })
  @ApiOkResponse({ type: ModelInfoDto })
  @ApiProblems(403)
  info(): ModelInfoDto {
    return this.predictor.info();
  }
}
