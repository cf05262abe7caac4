import { Module } from '@nestjs/common';
import { ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { JobsModule } from '#jobs';
import { RedisModule } from '#redis';
import { HealthModule, LoggingModule, MetricsModule, TracingModule } from '#observability';
import { AlertsModule } from './alerts/alerts.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { MarketDataModule } from './market-data/market-data.module.js';
import { ScanModule } from './scan/scan.module.js';
import { WatchesModule } from './watches/watches.module.js';

/** The BullMQ consumer app. Its HTTP port serves only health and metrics. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule.forRoot('market-scanner-worker'),
    RedisModule,
    JobsModule.forRoot('consumer'),
    MetricsModule.forApp('worker'),
    TracingModule,
    HealthModule,
    ScanModule,
    MarketDataModule,
    MaintenanceModule,
    WatchesModule,
    AlertsModule,
  ],
})
export class WorkerModule {}
