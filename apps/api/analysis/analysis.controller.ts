import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { AnalysisDto, AnalysisQuery } from './analysis.dto.js';
import { ANALYSIS_QUERY } from './analysis.schema.js';
import { AnalysisService } from './analysis.service.js';

@ApiTags('items')
@Controller('v1/items')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get(':symbol/analysis')
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    operationId: 'getAnalysis',
    summary:
      "One symbol's technical analysis (a ScanHit without rank) from bars up to asOf, with the plan its signal calls for",
  })
  @RouteSchema({ querystring: ANALYSIS_QUERY })
  @ApiOkResponse({ type: AnalysisDto })
  @ApiProblems(400, 403, 404, 414, 422)
  get(@Param('symbol') symbol: string, @Query() query: AnalysisQuery): Promise<AnalysisDto> {
    return this.analysis.analyze(symbol, query);
  }
}
