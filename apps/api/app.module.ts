import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { JobsModule } from '#jobs';
import { RedisModule } from '#redis';
import { HealthModule, LoggingModule, MetricsModule, TracingModule } from '#observability';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { ProblemFilter } from './http/problem.filter.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AnalysisModule } from './analysis/analysis.module.js';
import { BarsModule } from './bars/bars.module.js';
import { InstallationsModule } from './installations/installations.module.js';
import { ItemsModule } from './items/items.module.js';
import { MetaModule } from './meta/meta.module.js';
import { PredictModule } from './predict/predict.module.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { ScanHistoryModule } from './scan-history/scan-history.module.js';
import { ScansModule } from './scans/scans.module.js';
import { WatchesModule } from './watches/watches.module.js';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule.forRoot('market-scanner-api'),
    RedisModule,
    JobsModule.forRoot('producer'),
    MetricsModule.forApp('api'),
    TracingModule,
    HealthModule,
    AuthModule,
    RateLimitModule,
    ItemsModule,
    AnalysisModule,
    ScansModule,
    PredictModule,
    BarsModule,
    MetaModule,
    ScanHistoryModule,
    InstallationsModule,
    WatchesModule,
    AlertsModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    // Order matters: the key is checked first so the rate limiter can count per key.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {}
