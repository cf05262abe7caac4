import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/api-key.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { AlertPageDto, ListAlertsQuery } from './alerts.dto.js';
import { LIST_ALERTS_QUERY } from './alerts.schema.js';
import { AlertsService } from './alerts.service.js';

@ApiTags('watches')
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequireScope('scan')
  @RateLimit('scansRead')
  @ApiOperation({
    operationId: 'listAlerts',
    summary: 'This installation’s alerts, newest first (keyset pages by id)',
    description:
      'What its watches saw on each new data version. `since` keeps those recorded at or after an instant; ' +
      '`cursor` (the previous page’s nextCursor) continues to older ones. An API key (not an installation token) gets 403.',
  })
  @RouteSchema({ querystring: LIST_ALERTS_QUERY })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiProblems(400, 403)
  list(
    @Query() query: ListAlertsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertPageDto> {
    return this.alerts.list(query, principal);
  }
}
