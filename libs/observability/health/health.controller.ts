import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { REDIS_CLIENT } from '#redis';
import { HealthDto } from './health.dto.js';

type CheckState = 'up' | 'down';

/**
 * Liveness says the process runs; readiness says it can serve (database and Redis answer within
 * the check timeout). Public bodies carry only up/down per check: no hosts, no driver messages.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
    description: 'Public (no API key) and never rate-limited; 503 names the dependency that is down.',
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
    const timeout = this.config.health.checkTimeoutMs;
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.database.pingCheck('database', { timeout }),
        () =>
          this.indicators
            .check('redis')
            .attempt(async () => {
              await this.redis.ping();
            })
            .withTimeout(timeout),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const checks: Record<string, CheckState> = {};
    for (const [name, detail] of Object.entries(result.details ?? {}))
      checks[name] = detail.status === 'up' ? 'up' : 'down';
    const ok = Object.values(checks).every((state) => state === 'up');
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', checks };
  }
}
