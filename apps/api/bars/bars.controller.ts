import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { notModified } from '../http/etag.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { BarsDto, BarsQueryDto } from './bars.dto.js';
import { BARS_QUERY } from './bars.schema.js';
import { BarsService } from './bars.service.js';

/** Bars change at most once a trading day; a minute of reuse, then revalidation by ETag. */
const CACHE_CONTROL = 'private, max-age=60';

@ApiTags('items')
@Controller('v1/items')
export class BarsController {
  constructor(private readonly bars: BarsService) {}

  @Get(':symbol/bars')
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    operationId: 'getBars',
    summary: 'OHLCV of one instrument for a chart, as columns (day, week or month)',
    description:
      'Oldest point first; `limit` keeps the newest points of the range. A week or month is dated by its ' +
      'first trading day: first open, highest high, lowest low, last close, summed volume. ' +
      'Send the ETag back in If-None-Match to get 304 while the data has not changed.',
  })
  @RouteSchema({ querystring: BARS_QUERY })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a copy held' })
  @ApiOkResponse({ type: BarsDto })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current' })
  @ApiProblems(400, 403, 404, 414)
  async get(
    @Param('symbol') symbol: string,
    @Query() query: BarsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const q = this.bars.normalize(symbol, query);
    const etag = await this.bars.etagOf(q);
    // A tag names a copy of an item's bars: for a symbol that is no item, any tag (or `*`) is 404.
    if (request.headers['if-none-match'] !== undefined) await this.bars.assertItem(q.symbol);
    if (notModified(request, reply, etag, CACHE_CONTROL)) return undefined;
    const body = await this.bars.body(q);
    // Already JSON text: Fastify sends a string as is, so the columns are never parsed in Node.
    reply
      .type('application/json; charset=utf-8')
      .header('ETag', etag)
      .header('Cache-Control', CACHE_CONTROL);
    return body;
  }
}
