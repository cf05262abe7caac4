import { Module } from '@nestjs/common';
import { MaintenanceQueueModule } from '#jobs';
import { ScanRetentionProcessor } from './scan-retention.processor.js';
import { ScanRetentionRepository } from './scan-retention.repository.js';
import { ScanRetentionScheduler } from './scan-retention.scheduler.js';

/**
 * Housekeeping in the worker: the daily scan retention job. Needs APP_CONFIG, the TypeORM
 * DataSource and JobsModule.forRoot('consumer') from the app; exports nothing.
 */
@Module({
  imports: [MaintenanceQueueModule],
  providers: [ScanRetentionProcessor, ScanRetentionRepository, ScanRetentionScheduler],
})
export class MaintenanceModule {}
