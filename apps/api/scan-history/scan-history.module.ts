import { Module } from '@nestjs/common';
import { ScanHistoryController } from './scan-history.controller.js';
import { ScanHistoryRepository } from './scan-history.repository.js';
import { ScanHistoryService } from './scan-history.service.js';

/** GET /v1/scans: a key's scan history (the scans feature serves one scan and starts them). */
@Module({
  controllers: [ScanHistoryController],
  providers: [ScanHistoryService, ScanHistoryRepository],
  exports: [ScanHistoryService],
})
export class ScanHistoryModule {}
