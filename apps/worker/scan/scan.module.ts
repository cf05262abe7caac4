import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { ScanQueueModule } from '#jobs';
import { BarCacheLoader } from './bar-cache.loader.js';
import { BarSnapshots } from './bar-snapshot.files.js';
import { ScanResultsWriter } from './scan-results.writer.js';
import { ScanThreads } from './scan-threads.js';
import { ScanProcessor } from './scan.processor.js';

/** The scan consumer: the only place a scan processor is registered. Needs JobsModule.forRoot('consumer'). */
@Module({
  imports: [ScanQueueModule],
  providers: [
    {
      // null (BAR_SNAPSHOT_DIR=off): the loader reads every version from PostgreSQL.
      provide: BarSnapshots,
      useFactory: (config: AppConfig) =>
        config.worker.barSnapshotDir ? new BarSnapshots(config.worker.barSnapshotDir) : null,
      inject: [APP_CONFIG],
    },
    BarCacheLoader,
    ScanResultsWriter,
    ScanProcessor,
    {
      provide: ScanThreads,
      useFactory: (config: AppConfig) =>
        new ScanThreads(config.scans.threads, config.scans.threadsMinSymbols),
      inject: [APP_CONFIG],
    },
  ],
  // Watch evaluation scans on the same in-memory bars.
  exports: [BarCacheLoader],
})
export class ScanModule {}
