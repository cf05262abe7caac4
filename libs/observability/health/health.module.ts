import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { ReadinessMetrics } from './readiness.metrics.js';
import { ReadinessService } from './readiness.service.js';

/** `/health/live`, `/health/ready` and the `health_ready` gauge, shared by the api and the worker. */
@Module({
  // Terminus logs failed checks itself with driver details; we log only through pino.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessService, ReadinessMetrics],
})
export class HealthModule {}
