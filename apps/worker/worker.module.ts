import { Module } from '@nestjs/common';
import { ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { RedisModule } from '#jobs';
import { HealthModule, LoggingModule, MetricsModule } from '#observability';

/**
 * The BullMQ consumer app. Its HTTP port serves only health and metrics; the scan processor
 * arrives with the scan engine (issue 3).
 */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule.forRoot('market-scanner-worker'), RedisModule, MetricsModule.forApp('worker'), HealthModule],
})
export class WorkerModule {}
