import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/api-key.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { ListScansQuery, ScanSummaryPageDto } from './scan-history.dto.js';
import { LIST_SCANS_QUERY } from './scan-history.schema.js';
import { ScanHistoryService } from './scan-history.service.js';

@ApiTags('scans')
@Controller('v1/scans')
export class ScanHistoryController {
  constructor(private readonly history: ScanHistoryService) {}

  @Get()
  @RequireScope('scan')
  @RateLimit('scansRead')
  @ApiOperation({
    operationId: 'listScans',
    summary: "This API key's recent scans, newest first (summaries without hits; keyset pages)",
    description:
      'The scans the key started or was answered with (as GET /v1/scans/{id} shows them), kept for ' +
      'SCAN_RETENTION_DAYS (30 by default).',
  })
  @RouteSchema({ querystring: LIST_SCANS_QUERY })
  @ApiOkResponse({ type: ScanSummaryPageDto })
  @ApiProblems(400, 403)
  list(
    @Query() query: ListScansQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanSummaryPageDto> {
    return this.history.list(query, principal);
  }
}
