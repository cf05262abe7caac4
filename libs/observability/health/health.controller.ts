import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthDto } from './health.dto.js';
import { allUp, ReadinessService } from './readiness.service.js';

/**
 * Liveness says the process runs; readiness says it can serve (database and Redis answer within
 * the check timeout). Public bodies carry only up/down per check: no hosts, no driver messages.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process runs',
    description: 'Public (no API key) and never rate-limited; checks is always empty.',
    security: [],
  })
  @ApiOkResponse({ type: HealthDto, description: 'The process runs' })
  live(): HealthDto {
    return { status: 'ok', checks: {} };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL and Redis answer',
    description:
      'Public (no API key) and never rate-limited; 503 names the dependency that is down.',
    security: [],
  })
  @ApiOkResponse({
    type: HealthDto,
    description: 'Ready to serve',
    example: { status: 'ok', checks: { database: 'up', redis: 'up' } },
  })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: 'A dependency is down',
    example: { status: 'error', checks: { database: 'up', redis: 'down' } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const checks = await this.readiness.check();
    const ok = allUp(checks);
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', checks };
  }
}
