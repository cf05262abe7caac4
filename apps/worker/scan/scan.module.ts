import { Module } from '@nestjs/common';
import { ScanQueueModule } from '#jobs';
import { BarCacheLoader } from './bar-cache.loader.js';
import { ScanResultsWriter } from './scan-results.writer.js';
import { ScanProcessor } from './scan.processor.js';

/** The scan consumer: the only place a scan processor is registered. Needs JobsModule.forRoot('consumer'). */
@Module({
  imports: [ScanQueueModule],
  providers: [BarCacheLoader, ScanResultsWriter, ScanProcessor],
  // Watch evaluation scans on the same in-memory bars.
  exports: [BarCacheLoader],
})
export class ScanModule {}
