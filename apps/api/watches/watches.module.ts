import { Module } from '@nestjs/common';
import { WatchesController } from './watches.controller.js';
import { WatchesService } from './watches.service.js';

/** /v1/watches: an installation's saved scans (issue 17). The worker evaluates them. */
@Module({
  controllers: [WatchesController],
  providers: [WatchesService],
})
export class WatchesModule {}
