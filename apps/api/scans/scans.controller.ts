import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/api-key.service.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { ScanBudgetInterceptor } from './scan-budget.interceptor.js';
import { CreateScanDto, ScanDto, WaitQuery } from './scans.dto.js';
import { CREATE_SCAN_BODY, WAIT_QUERY } from './scans.schema.js';
import { ScansService } from './scans.service.js';

/**
 * Bodies for "Try it out", each runnable as is on the embedded data. The first is the default: the
 * whole universe on the balanced profile, a ranked list of 25 long candidates (not a watchlist of
 * two symbols that can only come back relaxed).
 */
const SCAN_EXAMPLES = {
  topLongs: {
    summary: 'Top 25 long candidates of the whole universe (balanced profile)',
    value: { profile: 'balanced', direction: 'long', maxSymbols: 25 },
  },
  technologyBothSides: {
    summary: 'Information Technology, strongest signals on either side',
    value: { sectors: ['technology'], direction: 'both', maxSymbols: 10 },
  },
  watchlist: {
    summary: 'A watchlist on the aggressive profile, sized for a 25,000 USD account',
    value: {
      symbols: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'JPM', 'XOM', 'UNH', 'HD'],
      profile: 'aggressive',
      accountSize: 25000,
      riskPct: 0.5,
    },
  },
  pointInTime: {
    summary: 'The scan as it would have run on 30 June 2016',
    value: { asOf: '2016-06-30', maxSymbols: 10 },
  },
  shorts: {
    summary: 'Short candidates: weakest ratings first',
    value: { direction: 'short', maxSymbols: 10 },
  },
};

@ApiTags('scans')
@Controller('v1/scans')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post()
  @RequireScope('scan')
  @RateLimit('scansCreate')
  @UseInterceptors(ScanBudgetInterceptor)
  @ApiOperation({
    operationId: 'createScan',
    summary: 'Start a scan (or get the cached one)',
    description:
      'Identical requests on the same data version are answered from the cache (200, cached: true) or share the run in flight. ' +
      'Otherwise 202 with a Location header; ?wait=N (0..30 s) holds the response until the scan completes. ' +
      'Cached answers and refused requests do not spend the scans-create budget; at most 3 scans per credential are queued or running (429 with Retry-After beyond). ' +
      'When the scan queue backlog is at its bound, a new run is refused with 503 and Retry-After. ' +
      'Each hit carries a TechRating (0..100, 50 neutral: six subscores weighted 3/3/2/1/1/1) and a signal from it ' +
      "(≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, else Avoid), with a plan on the signal's side. " +
      'Profiles set the filters (min price / max ATR % / min 20-day dollar volume / default min rating): ' +
      'conservative 15 / 2.5 % / 10 M / 65, balanced 10 / 3.5 % / 5 M / 55, aggressive 5 / 6 % / 3 M / 45. ' +
      'If nothing passes, the best 10 are shown with relaxed: true.',
  })
  @ApiBody({ type: CreateScanDto, required: false, examples: SCAN_EXAMPLES })
  @ApiOkResponse({
    type: ScanDto,
    description: 'Completed (cached, stored, or finished within ?wait)',
  })
  @ApiAcceptedResponse({
    type: ScanDto,
    description: 'Queued or running; poll Location or subscribe over the WebSocket',
  })
  @ApiProblems(400, 403, 413, 415, 422, {
    429: 'At most 3 scans of one credential may be queued or running; retry when one finishes',
    503: 'The scan queue holds 2000 scans waiting for a worker; new scans are refused until it drains (cached and identical scans are still answered)',
  })
  // The body validated by the schema Fastify compiles once (Ajv); the DTO words a refusal.
  @RouteSchema({ body: CREATE_SCAN_BODY, querystring: WAIT_QUERY })
  async create(
    @Body() body: CreateScanDto,
    @Query() query: WaitQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScanDto | Buffer> {
    const answer = await this.scans.create(body, principal, String(request.id), query.wait ?? 0);
    reply.status(answer.status);
    if (answer.status === 202) reply.header('Location', `/v1/scans/${answer.scan.id}`);
    // A cached answer held as bytes is sent as they are: no serialization per request.
    if (answer.body) {
      reply.header('content-type', 'application/json; charset=utf-8');
      return answer.body;
    }
    return answer.scan;
  }

  @Get(':id')
  @RequireScope('scan')
  @RateLimit('scansRead')
  @ApiOperation({
    operationId: 'getScan',
    summary: 'A scan started (or requested) by this API key',
    description:
      'The full Scan: progress while it runs, the ranked result once completed. A WebSocket client that reconnects rebuilds its state from here.',
  })
  @ApiOkResponse({ type: ScanDto })
  // 400: a malformed %-escape in the id; 414: an id longer than the router takes.
  @ApiProblems(400, 403, 404, 414, {
    404: 'No scan 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this API key',
  })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ScanDto> {
    return this.scans.get(id, principal);
  }
}
