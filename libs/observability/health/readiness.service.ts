import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { REDIS_CLIENT } from '#redis';

export type CheckState = 'up' | 'down';

/**
 * The readiness checks of a process: PostgreSQL and Redis each answer within the check timeout.
 * /health/ready answers with them; ReadinessMetrics samples them into `health_ready`.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** up/down per dependency; never throws for a dependency that is down. */
  async check(): Promise<Record<string, CheckState>> {
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
    return checks;
  }
}

/** Whether every check is up (and there is at least one). */
export const allUp = (checks: Record<string, CheckState>): boolean => {
  const states = Object.values(checks);
  return states.length > 0 && states.every((state) => state === 'up');
};
