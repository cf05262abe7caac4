import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/api-key.service.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { CreateWatchDto, UpdateWatchDto, WatchDetailDto, WatchListDto } from './watches.dto.js';
import { CREATE_WATCH_BODY, UPDATE_WATCH_BODY } from './watches.schema.js';
import { WatchesService } from './watches.service.js';

const FORBIDDEN_403 =
  'Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan';
const NOT_FOUND_404 = 'No watch 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this installation';

@ApiTags('watches')
@Controller('v1/watches')
export class WatchesController {
  constructor(private readonly watches: WatchesService) {}

  @Post()
  @HttpCode(201)
  @RequireScope('scan')
  @RateLimit('watchesWrite')
  @ApiOperation({
    operationId: 'createWatch',
    summary: 'Save a scan to watch: alerts when its top N changes',
    description:
      'After every new data version the worker re-runs the watch’s scan and compares its first topN rows with the previous evaluation: ' +
      'a symbol that entered (`entered`), left (`exited`) or changed signal (`signalChanged`) is an alert (GET /v1/alerts, the WebSocket, a push). ' +
      'The first evaluation sets the baseline and alerts nothing. The request is a POST /v1/scans body, validated the same way, without asOf. ' +
      'An installation keeps at most WATCHES_PER_INSTALLATION watches (20 by default; one more is 409).',
  })
  @RouteSchema({ body: CREATE_WATCH_BODY })
  @ApiCreatedResponse({ type: WatchDetailDto })
  @ApiProblems(400, 403, 409, 413, 415, {
    403: FORBIDDEN_403,
    409: 'An installation may keep at most 20 watches; delete one first',
  })
  create(
    @Body() body: CreateWatchDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WatchDetailDto> {
    return this.watches.create(body, principal);
  }

  @Get()
  @RequireScope('scan')
  @RateLimit('scansRead')
  @ApiOperation({
    operationId: 'listWatches',
    summary: 'This installation’s watches, oldest first',
  })
  @ApiOkResponse({ type: WatchListDto })
  @ApiProblems(403, { 403: FORBIDDEN_403 })
  list(@CurrentPrincipal() principal: Principal): Promise<WatchListDto> {
    return this.watches.list(principal);
  }

  @Get(':id')
  @RequireScope('scan')
  @RateLimit('scansRead')
  @ApiOperation({ operationId: 'getWatch', summary: 'One watch with its last result' })
  @ApiOkResponse({ type: WatchDetailDto })
  @ApiProblems(400, 403, 404, 414, { 403: FORBIDDEN_403, 404: NOT_FOUND_404 })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<WatchDetailDto> {
    return this.watches.get(id, principal);
  }

  @Patch(':id')
  @RequireScope('scan')
  @RateLimit('watchesWrite')
  @ApiOperation({
    operationId: 'updateWatch',
    summary: 'Rename a watch, change what it notifies about, or its request',
    description: 'A different request starts over: its next evaluation is a new baseline.',
  })
  @RouteSchema({ body: UPDATE_WATCH_BODY })
  @ApiOkResponse({ type: WatchDetailDto })
  @ApiProblems(400, 403, 404, 413, 414, 415, { 403: FORBIDDEN_403, 404: NOT_FOUND_404 })
  update(
    @Param('id') id: string,
    @Body() body: UpdateWatchDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WatchDetailDto> {
    return this.watches.update(id, body, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('scan')
  @RateLimit('watchesWrite')
  @ApiOperation({ operationId: 'deleteWatch', summary: 'Delete a watch and its alerts' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 403, 404, 414, { 403: FORBIDDEN_403, 404: NOT_FOUND_404 })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.watches.remove(id, principal);
  }
}
