import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/api-key.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { notModified } from '../http/etag.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { MetaDto } from './meta.dto.js';
import { MetaService } from './meta.service.js';

/** Always revalidated: a 304 costs the client nothing and the data may have changed. */
const CACHE_CONTROL = 'private, no-cache';

@ApiTags('meta')
@Controller('v1/meta')
export class MetaController {
  constructor(private readonly meta: MetaService) {}

  @Get()
  @RequireScope('read')
  @RateLimit('itemsRead')
  @ApiOperation({
    operationId: 'getMeta',
    summary: 'Data range and version, sectors, profiles, signal thresholds and your limits',
    description:
      'The ETag covers everything except `limits.buckets[].remaining` and `resetSeconds`, which ' +
      'move with every request: a 304 means the rest of your copy is current.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a copy held' })
  @ApiOkResponse({ type: MetaDto })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current' })
  @ApiProblems(403)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MetaDto | undefined> {
    const { meta, etag } = await this.meta.get(principal, request.ip);
    if (notModified(request, reply, etag, CACHE_CONTROL)) return undefined;
    reply.header('ETag', etag).header('Cache-Control', CACHE_CONTROL);
    return meta;
  }
}
