import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard.js';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { RequestUnits } from '../rate-limit/request-units.js';
import {
  ModelInfoDto,
  PredictBatchDto,
  PredictDto,
  PredictionBatchDto,
  PredictionDto,
} from './predict.dto.js';
import { PREDICT_BATCH_BODY, PREDICT_TEXT_BODY } from './predict.schema.js';
import { PredictService } from './predict.service.js';

@ApiTags('predict')
@Controller('v1')
export class PredictController {
  constructor(
    private readonly predictor: PredictService,
    private readonly units: RequestUnits,
  ) {}

  @Post('predict')
  @HttpCode(200)
  @RequireScope('predict')
  @RateLimit('predict')
  @ApiOperation({
    operationId: 'predict',
    summary: 'Sentiment of one finance text (1..2000 characters)',
  })
  // Bodies validated by the schema Fastify compiles once (Ajv); the DTO words a refusal.
  @RouteSchema({ body: PREDICT_TEXT_BODY })
  @ApiOkResponse({ type: PredictionDto })
  @ApiProblems(400, 403, 413, 415)
  predict(@Body() body: PredictDto): PredictionDto {
    return this.predictor.predict(body.text);
  }

  @Post('predict/batch')
  @HttpCode(200)
  @RequireScope('predict')
  @RateLimit('predict')
  @ApiOperation({
    operationId: 'predictBatch',
    summary: 'Sentiment of 1..256 texts, results in input order',
    description:
      'Spends one unit of the predict budget per text; a batch larger than what remains is refused whole (429) and spends nothing.',
  })
  @RouteSchema({ body: PREDICT_BATCH_BODY })
  @ApiOkResponse({ type: PredictionBatchDto })
  @ApiProblems(400, 403, 413, 415)
  async predictBatch(
    @Body() body: PredictBatchDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.units.spend('predict', body.texts.length, request, reply);
    const answer = await this.predictor.predictBatch(body.texts);
    // Already JSON text (PredictService.predictBatch): Fastify sends a string as it is.
    reply.type('application/json; charset=utf-8');
    return answer;
  }

  @Get('model/info')
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    operationId: 'getModelInfo',
    summary: 'The loaded sentiment model: version, algorithm, classes, validation metrics',
  })
  @ApiOkResponse({ type: ModelInfoDto })
  @ApiProblems(403)
  info(): ModelInfoDto {
    return this.predictor.info();
  }
}
